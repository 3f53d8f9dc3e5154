"""A supervisor's acts in December never wait for next year's holiday notice: confirming a
clue, issuing a 监督意见书 and escalating it succeed with a provisional (暂定) due date; the
documents state the period in words instead of printing that date; the letter follows
the recomputation when the year is entered. The clock is frozen relative to the seeded
calendar (10 December of its last complete year), not the real date."""

import json
from datetime import date

import pytest

from tests.clock import frozen, last_complete_year
from yifa.deadlines import services as deadline_services
from yifa.documents.models import IssuedDocument
from yifa.supervision import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def december():
    day = date(last_complete_year(), 12, 10)
    with frozen(day):
        yield day


def _text(doc: IssuedDocument) -> str:
    return json.dumps(doc.content, ensure_ascii=False)


def test_letter_in_december_is_provisional_and_its_document_states_the_period(world, client_for, december):
    finding = services.raise_finding(actor=world.supervisor, org=world.dept_a, category="publicity",
                                     description="未按规定公示行政处罚决定")
    letter = services.issue_letter(actor=world.supervisor, findings=[finding], requirements="立即整改并建立长效机制。")
    assert letter.issued_on == december
    assert letter.due_provisional and letter.due.year == december.year + 1
    text = _text(letter.document)
    assert "自收到本意见书之日起三十日内完成整改" in text
    assert f"{letter.due.year}年{letter.due.month}月{letter.due.day}日" not in text  # the GB form a print would use
    page = client_for(world.supervisor).get(f"/supervision/letters/{letter.pk}/").content.decode()
    assert "暂定" in page
    api = client_for(world.supervisor).get(f"/api/v1/supervision/letters/{letter.pk}/").json()
    assert api["due_provisional"] is True

    # an earlier letter, overdue, escalated today: the decision's document states its period in words too
    early = date(december.year, 11, 2)
    old = services.issue_letter(actor=world.supervisor, requirements="立即整改。", on=early, findings=[
        services.raise_finding(actor=world.supervisor, org=world.dept_a, category="procedure",
                               description="未告知听证权利", on=early)])
    assert not old.due_provisional and old.due < december
    decision = services.escalate_letter(actor=world.supervisor, letter=old, kind="correct",
                                        reasons="整改期限届满仍未整改。", requirements="限期纠正。")
    assert decision.due_provisional
    assert "自收到本决定书之日起三十日内履行本决定" in _text(decision.document)


def test_letter_inside_a_complete_year_prints_its_date(world):
    on = date(2025, 9, 1)
    finding = services.raise_finding(actor=world.supervisor, org=world.dept_a, category="publicity",
                                     description="未按规定公示行政处罚决定", on=on)
    letter = services.issue_letter(actor=world.supervisor, findings=[finding], requirements="立即整改。", on=on)
    assert not letter.due_provisional
    due = letter.due  # GB/T 9704: no leading zeros
    assert f"于{due.year}年{due.month}月{due.day}日前完成整改" in _text(letter.document)


def test_entering_the_year_updates_the_letter(world, december):
    finding = services.raise_finding(actor=world.supervisor, org=world.dept_a, category="publicity",
                                     description="未按规定公示行政处罚决定")
    letter = services.issue_letter(actor=world.supervisor, findings=[finding], requirements="立即整改。")
    nxt = december.year + 1
    # test fixture, not a real notice: the provisional due day itself becomes a day off
    provisional_due = letter.due
    saturday = next(date(nxt, 2, d) for d in range(14, 21) if date(nxt, 2, d).weekday() == 5)
    deadline_services.import_holiday_csv(
        actor=None, complete=True,
        text=f"{provisional_due},holiday,测试假日\n{saturday},makeup_workday,测试调休\n")
    letter.refresh_from_db()
    assert not letter.due_provisional
    assert letter.due > provisional_due
