"""The request's process (政府信息公开条例 arts. 30–33, 36):

registered → correction_requested → corrected | withdrawn (art. 30)
registered / corrected → consulting → back (art. 32; the time is not counted, art. 33 ¶3)
registered / corrected → replied (art. 33, 36); extending the reply period keeps the state.

The unit's own staff act; the supervisors of the justice bureau only read."""

from yifa.core.workflows import Transition, Workflow
from yifa.orgs.models import Role

from .models import InfoRequest, RequestState as S

HANDLERS = (Role.DEPARTMENT_LEGAL_OFFICER, Role.TOWNSHIP_LEGAL_OFFICER, Role.OFFICER)

INFO_REQUEST = Workflow("inforequest", model=InfoRequest, state_labels=dict(S.choices), transitions=[
    Transition(S.REGISTERED, "request_correction", S.CORRECTION_REQUESTED, "告知补正", roles=HANDLERS),
    Transition(S.CORRECTION_REQUESTED, "record_correction", S.CORRECTED, "收到补正申请", roles=HANDLERS),
    Transition(S.CORRECTION_REQUESTED, "withdraw", S.WITHDRAWN, "逾期未补正，视为放弃申请", roles=HANDLERS,
               confirm="申请将视为放弃，登记随即终结，不能再答复。"),
    Transition(S.REGISTERED, "consult", S.CONSULTING, "书面征求第三方意见", roles=HANDLERS),
    Transition(S.CORRECTED, "consult", S.CONSULTING, "书面征求第三方意见", roles=HANDLERS),
    # back to 办理中 / 已补正 (the service picks by whether the request was corrected)
    Transition(S.CONSULTING, "record_opinion", S.REGISTERED, "记录第三方意见", roles=HANDLERS),
    Transition(S.CONSULTING, "opinion_lapsed", S.REGISTERED, "第三方逾期未提出意见", roles=HANDLERS),
    Transition(S.REGISTERED, "extend", S.REGISTERED, "延长答复期限", roles=HANDLERS),
    Transition(S.CORRECTED, "extend", S.CORRECTED, "延长答复期限", roles=HANDLERS),
    Transition(S.REGISTERED, "reply", S.REPLIED, "答复申请人", roles=HANDLERS),
    Transition(S.CORRECTED, "reply", S.REPLIED, "答复申请人", roles=HANDLERS),
])
