"""A quarter without a 错案通报 raises a to-do for the supervision office, due on the
quarter's last working day; issuing the notice clears it."""

from datetime import date

import pytest

from tests.clock import frozen
from yifa.accountability import services
from yifa.accountability.models import Notice
from yifa.core.todos import todos_for

pytestmark = pytest.mark.django_db


def _todos(user):
    return [t for t in todos_for(user) if t.group == "季度错案通报"]


def test_quarter_without_a_notice_is_a_todo(world):
    w = world
    Notice.objects.all().delete()
    with frozen(date(2023, 9, 4)):
        got = _todos(w.supervisor)
        assert [t.title for t in got] == ["2023年第二季度未印发错案通报，请补发",
                                          "2023年第三季度错案通报尚未印发，请于9月28日前印发"]
        assert got[1].due == date(2023, 9, 28)  # 29 September 2023 is a holiday, the 30th a Saturday
        assert got[0].url == "/accountability/notices/new/"
        assert _todos(w.dept_a_legal) == []
        services.issue_notice(actor=w.supervisor, year=2023, quarter=2, requirements="引以为戒。")
        assert [t.title for t in _todos(w.supervisor)] == ["2023年第三季度错案通报尚未印发，请于9月28日前印发"]
