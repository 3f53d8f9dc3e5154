"""The home page's to-do list (待办). Each app registers a provider: a function of the
user returning a list of `Todo`s, already scoped. Later modules fill it."""

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


def register(provider):
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def todos_for(user, limit: int = 50) -> list[Todo]:
    items = []
    for provider in _PROVIDERS:
        items.extend(provider(user))
    order = {"red": 0, "yellow": 1, "normal": 2}
    items.sort(key=lambda t: (order.get(t.level, 3), t.due or date.max))
    return items[:limit]
