"""The complaint's process: received → routed → replied → closed, or rejected (不予受理)."""

from yifa.core.workflows import Transition, Workflow
from yifa.orgs.models import Role

from .models import Complaint, ComplaintState as S

SUPERVISING = (Role.SUPERVISOR, Role.DEPARTMENT_LEGAL_OFFICER, Role.TOWNSHIP_LEGAL_OFFICER)

COMPLAINT = Workflow("complaint", model=Complaint, state_labels=dict(S.choices), transitions=[
    Transition(S.RECEIVED, "route", S.ROUTED, "转办承办单位", roles=SUPERVISING),
    Transition(S.RECEIVED, "reject", S.REJECTED, "不予受理", roles=SUPERVISING, requires_reason=True),
    Transition(S.ROUTED, "reply", S.REPLIED, "答复", roles=(*SUPERVISING, Role.OFFICER)),
    Transition(S.REPLIED, "close", S.CLOSED, "办结", roles=SUPERVISING),
])
