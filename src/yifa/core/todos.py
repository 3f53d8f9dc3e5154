"""What the home page shows: to-dos (待办), banners, system health and key figures. Each
app registers providers here (core never imports an app): a provider is a function of the
user returning a list of `Todo`s, `Banner`s, `Health` rows or `KeyFigure`s, already scoped.

To-dos are merged per record: a provider names the record a to-do is about (`key`, e.g.
"enforcement.case:12"); the deadlines provider marks its rows `deadline_only`, so when an
app already shows the record (in words, with its own link) the deadline only lends its
due date and urgency, and the record appears once."""

from dataclasses import dataclass, field
from datetime import date

from yifa.core import clock

LEVEL_ORDER = {"red": 0, "yellow": 1, "normal": 2}
LEVEL_LABELS = {"red": "超期", "yellow": "临期", "normal": "待办"}

_PROVIDERS = []


def key_for(obj) -> str:
    """The record a to-do is about, as the deadlines engine names an owner."""
    return f"{obj._meta.label_lower}:{obj.pk}"


@dataclass
class Todo:
    title: str
    url: str
    module: str
    due: date | None = None
    level: str = "normal"  # normal / yellow / red
    due_provisional: bool = False  # the due date waits for a year's holiday notice (暂定)
    kind: str = ""  # the heading it is grouped under on the home page (default: the module)
    key: str = ""  # the record it is about: the same record is shown once
    count: int = 1  # one row standing for several records ("8 份案卷待评分")
    deadline_only: bool = False  # a bare deadline: yields its words to the record's own to-do
    when: str = field(default="", compare=False)  # filled by todos_for: "已超期 74 天", "今日到期", "剩 3 天"

    @property
    def group(self) -> str:
        return self.kind or self.module


@dataclass
class TodoGroup:
    title: str
    items: list = field(default_factory=list)

    def _n(self, level):
        return sum(t.count for t in self.items if t.level == level)

    @property
    def red(self) -> int:
        return self._n("red")

    @property
    def yellow(self) -> int:
        return self._n("yellow")

    @property
    def normal(self) -> int:
        return self._n("normal")

    @property
    def total(self) -> int:
        return sum(t.count for t in self.items)

    def urgency(self):
        first = self.items[0]
        return (-self.red, -self.yellow, first.due or date.max, self.title)


def register(provider):
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def when_text(due: date | None, today: date) -> str:
    if due is None:
        return ""
    days = (due - today).days
    if days < 0:
        return f"已超期 {-days} 天"
    if days == 0:
        return "今日到期"
    return f"剩 {days} 天"


def _level(todo: Todo, today: date) -> str:
    if todo.due is not None and todo.due < today:
        return "red"
    return todo.level


def _merge(items: list[Todo]) -> list[Todo]:
    out, by_key = [], {}
    for t in items:
        if not t.key:
            out.append(t)
            continue
        seen = by_key.get(t.key)
        if seen is None:
            by_key[t.key] = t
            out.append(t)
            continue
        # the record's own to-do keeps its words and link; the earlier due date and the more
        # urgent level win, whichever provider brought them
        own, other = (t, seen) if seen.deadline_only and not t.deadline_only else (seen, t)
        if other.due and (own.due is None or other.due < own.due):
            own.due, own.due_provisional = other.due, other.due_provisional
        if LEVEL_ORDER.get(other.level, 3) < LEVEL_ORDER.get(own.level, 3):
            own.level = other.level
        own.deadline_only = own.deadline_only and other.deadline_only
        if own is not seen:
            out[out.index(seen)] = own
            by_key[t.key] = own
    return out


def todos_for(user, limit: int = 200) -> list[Todo]:
    """Every to-do of the user, each record once, most urgent first, with "已超期 N 天"."""
    today = clock.today()
    items = []
    for provider in _PROVIDERS:
        items.extend(provider(user))
    from .navigation import may_open

    # a to-do never links into a module the user's roles do not use (core/navigation.py)
    items = [t for t in _merge(items) if may_open(user, t.url)]
    for t in items:
        t.level = _level(t, today)
        t.when = when_text(t.due, today)
    items.sort(key=lambda t: (LEVEL_ORDER.get(t.level, 3), t.due or date.max, t.title))
    return items[:limit]


def todo_groups(user) -> list[TodoGroup]:
    """The to-dos grouped by kind, each group with its 超期/临期/待办 counts; the group with
    the most overdue (then due-soon) items first."""
    groups: dict[str, TodoGroup] = {}
    for t in todos_for(user):
        groups.setdefault(t.group, TodoGroup(t.group)).items.append(t)
    return sorted(groups.values(), key=TodoGroup.urgency)


@dataclass
class Banner:
    """A notice at the top of the home page (e.g. next year's holiday notice not entered)."""

    text: str
    url: str = ""
    link_text: str = ""
    level: str = "warning"  # info / warning / danger




@dataclass
class Health:
    """One line of the administrator's system health panel."""

    label: str
    value: str
    level: str = "ok"  # ok / warning / danger
    url: str = ""
    detail: str = ""




@dataclass
class KeyFigure:
    """A key figure on a leader's home: its value, a comparison in words, a short trend."""

    label: str
    value: str
    url: str = ""
    compare: str = ""  # e.g. "较去年同期上升 2.1 个百分点"
    trend: list = field(default_factory=list)  # [(label, value 0–100 or None)]
    level: str = "normal"  # normal / warning / danger


class _Providers:
    """The providers of one kind of home-page item (banners, health rows, key figures): each
    a function of the user returning a list, already scoped; registering twice is a no-op."""

    def __init__(self):
        self._providers = []

    def register(self, provider):
        if provider not in self._providers:
            self._providers.append(provider)
        return provider

    def collect(self, user) -> list:
        return [item for provider in self._providers for item in provider(user)]


_BANNERS, _HEALTH, _FIGURES = _Providers(), _Providers(), _Providers()
register_banner, banners_for = _BANNERS.register, _BANNERS.collect
register_health, health_for = _HEALTH.register, _HEALTH.collect
register_figures, figures_for = _FIGURES.register, _FIGURES.collect
