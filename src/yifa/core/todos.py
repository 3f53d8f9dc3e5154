"""The home page's to-do list (待办) and banners. Each app registers a provider: a function
of the user returning a list of `Todo`s (or, for banners, of `Banner`s), already scoped."""

from dataclasses import dataclass
from datetime import date

_PROVIDERS = []


@dataclass
class Todo:
    title: str
    url: str
    module: str
    due: date | None = None
    level: str = "normal"  # normal / yellow / red
    due_provisional: bool = False  # the due date waits for a year's holiday notice (暂定)


def register(provider):
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


@dataclass
class Banner:
    """A notice at the top of the home page (e.g. next year's holiday notice not entered)."""

    text: str
    url: str = ""
    link_text: str = ""
    level: str = "warning"  # info / warning / danger


_BANNERS = []


def register_banner(provider):
    if provider not in _BANNERS:
        _BANNERS.append(provider)
    return provider


def banners_for(user) -> list[Banner]:
    out = []
    for provider in _BANNERS:
        out.extend(provider(user))
    return out


def todos_for(user, limit: int = 50) -> list[Todo]:
    items = []
    for provider in _PROVIDERS:
        items.extend(provider(user))
    order = {"red": 0, "yellow": 1, "normal": 2}
    items.sort(key=lambda t: (order.get(t.level, 3), t.due or date.max))
    return items[:limit]
