"""发文字号: per unit, per type, per year, gapless under sequential issue, never reused."""

import datetime

import pytest

from yifa.core.errors import DomainError
from yifa.documents import services
from yifa.documents.models import DocumentSequence, IssuedDocument
from yifa.documents.types import DOC_TYPES, default_prefix

from .conftest import make_content

OWNER = ("review.reviewitem", "1")


def issue(world, org=None, doc_type="review_opinion_letter", date=datetime.date(2026, 3, 2), **kw):
    return services.issue_document(actor=world.admin, org=org or world.justice, doc_type=doc_type, owner=OWNER,
                                   content=make_content(date=date, **kw))


def test_sequential_issue_is_gapless_and_formatted(world, fast_render):
    docs = [issue(world) for _ in range(5)]
    assert [d.serial for d in docs] == [1, 2, 3, 4, 5]
    assert [d.doc_number for d in docs] == [f"测试县司法局审〔2026〕{n}号" for n in range(1, 6)]
    assert all(d.year == 2026 for d in docs)
    assert DocumentSequence.objects.get(org=world.justice, year=2026, doc_type="review_opinion_letter").last_number == 5


def test_numbers_are_per_unit_per_type_per_year(world, fast_render):
    a1, a2 = issue(world), issue(world)
    other_unit = issue(world, org=world.dept_a)
    other_type = issue(world, doc_type="supervision_opinion_letter")
    next_year = issue(world, date=datetime.date(2027, 1, 4))
    assert (a1.serial, a2.serial, other_unit.serial, other_type.serial, next_year.serial) == (1, 2, 1, 1, 1)
    assert other_unit.doc_number == "测试县市场监督管理局审〔2026〕1号"
    assert other_type.doc_number == "测试县司法局监意〔2026〕1号"
    assert next_year.doc_number == "测试县司法局审〔2027〕1号"


def test_voided_number_is_never_reused(world, fast_render):
    first, second = issue(world), issue(world)
    services.void_document(actor=world.admin, document=second, reason="内容有误，重新印发")
    services.void_document(actor=world.admin, document=first, reason="重复印发")
    third = issue(world)
    assert third.serial == 3
    assert IssuedDocument.objects.filter(org=world.justice, serial=2, status="void").exists()


def test_short_name_and_prefix_override(world, fast_render):
    world.justice.short_name = "清河司法"
    world.justice.save(update_fields=["short_name"])
    assert issue(world).doc_number == "清河司法审〔2026〕1号"
    services.set_number_prefix(actor=world.admin, org=world.justice, doc_type="review_opinion_letter",
                               prefix="清司审字")
    assert issue(world).doc_number == "清司审字〔2026〕2号"
    services.set_number_prefix(actor=world.admin, org=world.justice, doc_type="review_opinion_letter", prefix="")
    assert issue(world).doc_number == "清河司法审〔2026〕3号"


def test_default_prefix_drops_renmin_zhengfu(world):
    assert default_prefix(world.county, DOC_TYPES["notice"]) == "测试县通"


def test_prefix_colliding_with_another_type_is_refused(world, fast_render):
    for t in ("notice", "evaluation_notice"):
        services.set_number_prefix(actor=None, org=world.justice, doc_type=t, prefix="测司")
    issue(world, doc_type="notice")
    with pytest.raises(DomainError, match="已被本单位其他文种使用"):
        issue(world, doc_type="evaluation_notice")


def test_next_number_preview_does_not_reserve(world, fast_render):
    issue(world)
    preview = services.next_number_preview(org=world.justice, doc_type="review_opinion_letter", year=2026)
    assert preview == "测试县司法局审〔2026〕2号"
    assert issue(world).doc_number == preview


@pytest.mark.parametrize("bad, field", [
    (dict(doc_type="no_such_type"), "doc_type"),
    (dict(title=" "), "title"),
    (dict(issuer=""), "issuer"),
    (dict(body=[]), "body"),
])
def test_invalid_input_consumes_no_number(world, fast_render, bad, field):
    doc_type = bad.pop("doc_type", "review_opinion_letter")
    with pytest.raises(DomainError) as exc:
        issue(world, doc_type=doc_type, **bad)
    assert field in exc.value.fields
    assert not DocumentSequence.objects.filter(org=world.justice).exists()
    assert issue(world).serial == 1


def test_every_registered_type_has_a_name_and_pattern():
    codes = {"review_opinion_letter", "legal_review_opinion", "supervision_opinion_letter", "supervision_decision",
             "accountability_recommendation", "notice", "penalty_decision_publicity", "evaluation_notice",
             "annual_report"}
    assert codes <= set(DOC_TYPES)
    for t in DOC_TYPES.values():
        assert t.name and "{serial}" in t.number_pattern
        assert t.format_number(prefix="X", year=2026, serial=1) == "X〔2026〕1号"
