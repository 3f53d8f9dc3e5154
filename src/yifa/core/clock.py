"""“Today” in one place (ARCHITECTURE.md, *Time*): every "today" the product uses comes
from `today()` — the date in Asia/Shanghai — so that tests freeze one clock (time-machine)
and the suite passes on any date, 31 December included."""

from datetime import date

from django.utils import timezone


def today() -> date:
    return timezone.localdate()
