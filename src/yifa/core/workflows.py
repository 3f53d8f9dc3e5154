"""Workflows as data, and the one generic `transition()` service.

An app declares its process in its own `workflows.py`:

    PENALTY = Workflow("penalty", model=Case, transitions=[
        Transition("filed", "investigate", "investigating", "开始调查", roles=(Role.OFFICER,)),
        Transition("notified", "decide", "decided", "作出决定", roles=(...), guard=needs_two_officers,
                   starts=("penalty.service",), stops=("penalty.decision",)),
        ...
    ])

`transition(obj, "decide", actor=user, reason="…")` locks the row, checks scope (404),
role (403), the current state (409), the version (409), the guard (409 naming the rule),
moves the state, closes and starts tracked deadlines, audits, and notifies on commit.
An illegal move is always an explicit error, never a silent no-op.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from yifa.core import clock
from .errors import DomainError, IllegalTransition, StaleVersion


class GuardFailed(DomainError):
    """A legal precondition is not met. The message names the rule it rests on."""

    status = 409
    code = "guard_failed"

    def __init__(self, message, rule: str = "", fields=None):
        super().__init__(f"{message}（依据：{rule}）" if rule else message, fields)
        self.rule = rule


class By:
    """Who may take a transition relative to the record (ARCHITECTURE.md, *Authority*):
    `OWNER` — anyone whose scope contains the record's unit (the default, checked by the
    scope test); `ISSUER` — only the side that raised or issued the record: the issuing
    unit, or a unit whose scope contains it. The supervised unit never certifies itself."""

    OWNER = "owner"
    ISSUER = "issuer"


def is_issuer_side(user, issuer) -> bool:
    """Whether `user`'s scope contains the issuing unit (pages show only the acts one may take)."""
    root = getattr(user, "scope_root", None)
    return issuer is not None and root is not None and issuer.path.startswith(root.path)


def require_issuer_side(actor, issuer, what: str) -> None:
    """`actor` (None = the system) must be on the issuing side of a record: its scope
    contains the issuing unit `issuer`. Raises PermissionDenied naming the issuer."""
    if actor is None:
        return
    if not is_issuer_side(actor, issuer):
        who = issuer.name if issuer is not None else "监督单位"
        raise PermissionDenied(f"“{what}”只能由{who}（或其上级监督机构）办理，被监督单位不能自行认可。")


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    label: str
    roles: tuple = ()
    guard: Callable | None = None  # guard(obj, actor, payload) -> None, raises GuardFailed
    effect: Callable | None = None  # effect(obj, actor, payload) inside the transaction
    notify: Callable | None = None  # notify(obj, actor, payload) after commit
    starts: tuple = ()  # deadline rule codes started by this move
    stops: tuple = ()  # deadline rule codes closed by this move
    requires_reason: bool = False
    by: str = By.OWNER  # who may take it relative to the record (see `By`)
    confirm: str = ""  # irreversible: what will happen, in words; the button asks before it acts


@dataclass
class Workflow:
    name: str
    model: type
    transitions: list
    state_field: str = "state"
    state_labels: dict = field(default_factory=dict)
    issuer_field: str = "issuer"  # the record's issuing unit, for `By.ISSUER` transitions
    table: dict = field(init=False)

    def __post_init__(self):
        self.table = {}
        for t in self.transitions:
            key = (t.source, t.action)
            if key in self.table:
                raise ValueError(f"workflow {self.name}: duplicate transition {key}")
            self.table[key] = t
        _REGISTRY[self.name] = self

    def state_of(self, obj) -> str:
        return getattr(obj, self.state_field)

    def label(self, state) -> str:
        return self.state_labels.get(state, state)

    def action_label(self, action: str) -> str:
        """The Chinese name of an action of this workflow (also when the current state has none)."""
        for t in self.transitions:
            if t.action == action:
                return t.label
        from .labels import label

        return label(action, "action")

    def available(self, obj, user) -> list[Transition]:
        state = self.state_of(obj)
        return [t for t in self.transitions if t.source == state and (not t.roles or user.has_role(*t.roles))]

    def mermaid(self) -> str:
        lines = ["stateDiagram-v2"]
        for t in self.transitions:
            roles = "/".join(str(r) for r in t.roles)
            side = " (issuer side)" if t.by == By.ISSUER else ""
            lines.append(f"    {t.source} --> {t.target}: {t.label} [{t.action}]{' ' + roles if roles else ''}{side}")
        return "\n".join(lines)


_REGISTRY: dict[str, Workflow] = {}


def registry() -> dict[str, Workflow]:
    return dict(_REGISTRY)


def transition(obj, action: str, *, actor, workflow: Workflow, reason: str = "", on: date | None = None,
               expected_version=None, payload: dict | None = None):
    """Move `obj` by `action`. Returns the updated object. See the module docstring."""
    from yifa.audit.services import record

    payload = payload or {}
    on = on or clock.today()
    model = type(obj)
    with transaction.atomic():
        qs = model.objects.select_for_update(of=("self",))
        if actor is not None:
            visible = model.objects.visible_to(actor).filter(pk=obj.pk)
            if not visible.exists():
                raise Http404("未找到该记录。")
        locked = qs.get(pk=obj.pk)
        state = workflow.state_of(locked)
        t = workflow.table.get((state, action))
        if t is None:
            allowed = "、".join(x.label for x in workflow.transitions if x.source == state) or "无"
            raise IllegalTransition(
                f"当前状态“{workflow.label(state)}”不能执行“{workflow.action_label(action)}”。可执行的操作：{allowed}。"
            )
        if actor is not None and t.roles and not actor.has_role(*t.roles):
            raise PermissionDenied(f"您的角色不能执行“{t.label}”。")
        if t.by == By.ISSUER:
            require_issuer_side(actor, getattr(locked, workflow.issuer_field), t.label)
        if expected_version is not None and hasattr(locked, "version") and int(expected_version) != locked.version:
            raise StaleVersion("该记录已被他人修改，请刷新后重试。")
        if t.requires_reason and not (reason or "").strip():
            raise DomainError(f"“{t.label}”必须填写理由。", {"reason": ["必须填写理由。"]})
        if t.guard is not None:
            t.guard(locked, actor, payload)
        setattr(locked, workflow.state_field, t.target)
        if hasattr(locked, "version"):
            locked.version += 1
        locked.save()
        _move_deadlines(locked, t, actor=actor, on=on, payload=payload)
        if t.effect is not None:
            t.effect(locked, actor, payload)
        record(actor, f"{workflow.name}.{action}", locked, before={workflow.state_field: state},
               after={workflow.state_field: t.target, **({"on": on.isoformat()} if on else {})}, reason=reason)
        if t.notify is not None:
            transaction.on_commit(lambda: t.notify(locked, actor, payload))
    return locked


def _move_deadlines(obj, t: Transition, *, actor, on, payload):
    if not (t.starts or t.stops):
        return
    from yifa.deadlines import services as deadline_services
    from yifa.deadlines.selectors import deadlines_for_owner

    if t.stops:
        for d in deadlines_for_owner(obj).filter(rule__code__in=t.stops, state__in=("open", "extended", "suspended")):
            deadline_services.close_deadline(actor=actor, deadline=d, met_on=on)
    for code in t.starts:
        deadline_services.start_deadline(
            actor=actor, owner=obj, rule_code=code, start=payload.get("deadline_start", on), org=obj.org,
            handler=getattr(obj, "handler", None), title=f"{obj}",
        )
