"""Later tiers start from the earlier tiers' suggestions (keep / change / drop) instead of
retyping them; the 意见书 carries the final opinion once and each standing suggestion once,
with its clause; the unit answers only those."""

import re

import pytest

from yifa.audit.models import AuditEvent
from yifa.core.errors import DomainError, IllegalTransition
from yifa.core.workflows import GuardFailed
from yifa.documents.content import OfficialContent
from yifa.documents.models import IssuedDocument
from yifa.documents.rendering import render_html
from yifa.review import services
from yifa.review.models import ItemState, ReviewItem, Suggestion, Tier

from .conftest import item_fields

pytestmark = pytest.mark.django_db

FIRST = dict(authority="初审：制定主体适格。", procedure="初审：程序合法。", content="初审：第二条设定许可。")
SECOND = dict(authority="复审：主体适格。", procedure="复审：已公开征求意见。", content="复审：第二条、第三条须修改。")
FINAL = dict(authority="终审：制定主体适格。", procedure="终审：程序合法。", content="终审：第二条须删除审批。")
S1 = {"clause": "第二条", "quote": "须经县城市管理局批准后方可设置", "suggestion": "删除该审批要求",
      "basis": "《行政许可法》第十七条"}
S2 = {"clause": "第三条", "quote": "县城市管理局负责本办法的组织实施", "suggestion": "明确职责分工"}


def _to_first_done(w):
    item = services.submit_item(actor=w.dept_a_legal, org=w.dept_a, **item_fields())
    services.act(item, "accept", actor=w.office_user)
    services.submit_opinion(actor=w.duty, item=item, tier=Tier.FIRST, conclusion="agree_modified",
                            suggestions=[S1, S2], **FIRST)
    return ReviewItem.objects.get(pk=item.pk)


def _letter_html(item):
    doc = IssuedDocument.objects.get(pk=item.letter_document_id)
    return render_html(OfficialContent.from_dict(doc.content))


def _suggestion_rows(html):
    table = html.split("四、修改建议", 1)[1].split("五、审查结论", 1)[0]
    return re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", table)


def test_two_suggestions_kept_through_three_tiers_are_two_rows_in_the_letter(office):
    w = office
    item = _to_first_done(w)
    services.submit_opinion(actor=w.expert, item=item, tier=Tier.SECOND, conclusion="agree_modified", **SECOND)
    item = ReviewItem.objects.get(pk=item.pk)
    assert [s.suggestion for s in services.earlier_suggestions(item, Tier.FINAL)] == ["删除该审批要求", "明确职责分工"]
    services.submit_opinion(actor=w.office_user, item=item, tier=Tier.FINAL, conclusion="agree_modified",
                            short_reason="议程紧急", **FINAL)
    item = ReviewItem.objects.get(pk=item.pk)
    html = _letter_html(item)
    rows = _suggestion_rows(html)
    assert [r[0] for r in rows] == ["1", "2"]
    assert rows[0][1] == "第二条：“须经县城市管理局批准后方可设置”" and rows[0][2] == "删除该审批要求"
    assert rows[1][1] == "第三条：“县城市管理局负责本办法的组织实施”"
    # the final opinion once; the earlier tiers' texts are not in the letter
    assert html.count("终审：第二条须删除审批。") == 1 and "初审：" not in html and "复审：" not in html


def test_final_reviewer_keeps_changes_and_drops(office):
    w = office
    item = _to_first_done(w)
    s1, s2 = Suggestion.objects.filter(opinion__item=item).order_by("pk")
    services.submit_opinion(actor=w.expert, item=item, tier=Tier.SECOND, conclusion="agree_modified",
                            suggestions=[{"clause": "第四条", "suggestion": "补充施行日期"}], **SECOND)
    item = ReviewItem.objects.get(pk=item.pk)
    earlier = services.earlier_suggestions(item, Tier.FINAL)
    assert [s.suggestion for s in earlier] == ["删除该审批要求", "明确职责分工", "补充施行日期"]
    s3 = earlier[2]
    with pytest.raises(DomainError):  # a changed suggestion needs its text
        services.submit_opinion(actor=w.office_user, item=item, tier=Tier.FINAL, conclusion="agree_modified",
                                dispositions={s1.pk: {"action": "changed", "suggestion": " "}}, **FINAL)
    with pytest.raises(DomainError):  # only this round's earlier suggestions
        services.submit_opinion(actor=w.office_user, item=item, tier=Tier.FINAL, conclusion="agree_modified",
                                dispositions={999999: {"action": "dropped"}}, **FINAL)
    services.submit_opinion(
        actor=w.office_user, item=item, tier=Tier.FINAL, conclusion="agree_modified", short_reason="议程紧急",
        dispositions={s1.pk: {"action": "kept"},
                      s2.pk: {"action": "changed", "clause": "第三条", "quote": "县城市管理局负责",
                              "suggestion": "明确县城市管理局与县市场监管局的职责分工", "basis": ""},
                      s3.pk: {"action": "dropped"}}, **FINAL)
    item = ReviewItem.objects.get(pk=item.pk)
    assert item.state == ItemState.OPINION_ISSUED
    s1.refresh_from_db(), s2.refresh_from_db(), s3.refresh_from_db()
    assert (s1.disposition, s2.disposition, s3.disposition) == ("kept", "changed", "dropped")
    assert s2.disposition_tier == Tier.FINAL and s2.changed_into.get().opinion.tier == Tier.FINAL
    standing = services.letter_suggestions(item)
    assert [s.suggestion for s in standing] == ["删除该审批要求", "明确县城市管理局与县市场监管局的职责分工"]
    rows = _suggestion_rows(_letter_html(item))
    assert [r[2] for r in rows] == ["删除该审批要求", "明确县城市管理局与县市场监管局的职责分工"]
    event = AuditEvent.objects.filter(object_id=str(item.pk), action="review.opinion").order_by("-id").first()
    assert event.after["kept"] == 1 and event.after["changed"] == 1 and event.after["dropped"] == 1
    # the unit answers the letter's suggestions only
    with pytest.raises(IllegalTransition):
        services.record_adoption(actor=w.dept_a_legal, suggestion=s3, adoption="adopted")
    with pytest.raises(GuardFailed):
        services.act(item, "confirm_adoption", actor=w.dept_a_legal)
    for s in standing:
        services.record_adoption(actor=w.dept_a_legal, suggestion=s, adoption="adopted")
    item = services.act(ReviewItem.objects.get(pk=item.pk), "confirm_adoption", actor=w.dept_a_legal)
    assert item.state == ItemState.ADOPTION_RECORDED


def test_agree_modified_needs_a_standing_suggestion(office):
    w = office
    item = _to_first_done(w)
    s1, s2 = Suggestion.objects.filter(opinion__item=item).order_by("pk")
    with pytest.raises(DomainError) as e:
        services.submit_opinion(actor=w.expert, item=item, tier=Tier.SECOND, conclusion="agree_modified",
                                dispositions={s1.pk: {"action": "dropped"}, s2.pk: {"action": "dropped"}}, **SECOND)
    assert "suggestions" in e.value.fields


def test_opinion_page_starts_from_earlier_suggestions_and_text(office, client_for):
    w = office
    item = _to_first_done(w)
    s1, s2 = Suggestion.objects.filter(opinion__item=item).order_by("pk")
    c = client_for(w.expert)
    page = c.get(f"/review/items/{item.pk}/").content.decode()
    assert 'id="earlier-suggestions"' in page
    for s in (s1, s2):
        for v in ("kept", "changed", "dropped"):
            assert f'id="dispose-{s.pk}-{v}"' in page
        assert f'name="suggestion_{s.pk}" id="suggestion-{s.pk}" value="{s.suggestion}"' in page
    assert ">初审：第二条设定许可。</textarea>" in page  # the opinion text starts from the tier before
    resp = c.post(f"/review/items/{item.pk}/op/opinion/", {
        "version": item.version, **SECOND, "conclusion": "agree_modified",
        f"dispose_{s1.pk}": "kept", f"clause_{s1.pk}": s1.clause, f"quote_{s1.pk}": s1.quote,
        f"suggestion_{s1.pk}": s1.suggestion, f"basis_{s1.pk}": s1.basis,
        # "kept" but edited: counts as a change
        f"dispose_{s2.pk}": "kept", f"clause_{s2.pk}": "第三条", f"quote_{s2.pk}": s2.quote,
        f"suggestion_{s2.pk}": "明确牵头部门", f"basis_{s2.pk}": "",
        "clause": ["第五条", "", ""], "quote": ["", "", ""], "suggestion": ["补充施行日期", "", ""],
        "basis": ["", "", ""]})
    assert resp.status_code == 302
    item = ReviewItem.objects.get(pk=item.pk)
    assert item.state == ItemState.FINAL_REVIEW
    s1.refresh_from_db(), s2.refresh_from_db()
    assert s1.disposition == "kept" and s2.disposition == "changed"
    second = Suggestion.objects.filter(opinion__item=item, opinion__tier=Tier.SECOND).order_by("pk")
    assert [(s.clause, s.suggestion, s.carried_from_id) for s in second] == [
        ("第三条", "明确牵头部门", s2.pk), ("第五条", "补充施行日期", None)]
