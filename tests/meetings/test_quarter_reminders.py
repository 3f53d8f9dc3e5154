"""A quarter without a 联席会议 raises a to-do for the supervision office, due on the
quarter's last working day; holding the meeting clears it."""

from datetime import date

import pytest

from tests.clock import frozen
from yifa.core.todos import todos_for
from yifa.supervision.meetings import services
from yifa.supervision.meetings.models import JointMeeting

pytestmark = pytest.mark.django_db


def _titles(user):
    return [t for t in todos_for(user) if t.group == "季度联席会议"]


def test_quarter_without_a_meeting_is_a_todo_for_the_supervision_office(world):
    w = world
    JointMeeting.objects.all().delete()
    with frozen(date(2023, 9, 4)):
        got = _titles(w.supervisor)
        assert [t.title for t in got] == [
            "2023年第二季度未召开行政执法监督联席会议，请补开并登记",
            "2023年第三季度行政执法监督联席会议尚未召开，请于9月28日前召开并登记"]
        # the current quarter ends in the National Day break: due the Thursday before
        assert got[0].level == "red" and got[1].due == date(2023, 9, 28) and got[1].level == "yellow"
        assert got[0].url == "/supervision/meetings/meetings/new/"
        # nobody else is reminded
        assert _titles(w.dept_a_legal) == [] and _titles(w.leader) == []
        services.record_meeting(actor=w.supervisor, org=w.supervision_office, title="第三季度联席会议",
                                held_on=date(2023, 9, 1), topics="通报监督情况")
        assert [t.title for t in _titles(w.supervisor)] == ["2023年第二季度未召开行政执法监督联席会议，请补开并登记"]
    # a meeting registered late in the quarter it belongs to clears that quarter too
    with frozen(date(2023, 10, 9)):
        assert _titles(w.supervisor) == []
