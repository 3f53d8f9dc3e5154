"""典型案例 on the portal: whatever the owning apps publish through their public selectors
(supervision's typical findings; accountability's if it provides one), masked by them; the
section says 暂无 when there is none."""

from datetime import date

import pytest
from django.urls import reverse

from yifa.portal import selectors

pytestmark = pytest.mark.django_db


def test_no_typical_cases_says_none(world, client, monkeypatch):
    monkeypatch.setattr(selectors, "TYPICAL_SOURCES", (lambda limit: [],))
    for name in ("portal:home", "portal:typical"):
        body = client.get(reverse(name)).content.decode()
        section = body[body.index('id="latest-typical"' if name == "portal:home" else 'id="typical-list"'):]
        assert "暂无" in section[:400], name


def test_rows_from_several_sources_newest_first(world, client, monkeypatch):
    def source_a(limit):
        return [selectors._row("执法监督典型案例", "supervision",
                               {"id": 1, "org_name": "甲局", "category_label": "执法程序", "raised_on": date(2026, 3, 1),
                                "summary": "甲局未经法制审核作出重大执法决定。", "corrected": True}, "raised_on")]

    def source_b(limit):
        return [selectors._row("错案责任追究典型案例", "accountability",
                               {"id": 7, "org_name": "乙局", "title": "乙局错案", "day": date(2026, 5, 1),
                                "summary": "乙局认定事实不清。"}, "day")]

    monkeypatch.setattr(selectors, "TYPICAL_SOURCES", (source_a, source_b))
    body = client.get(reverse("portal:home")).content.decode()
    section = body[body.index('id="latest-typical"'):]
    assert section.index("乙局错案") < section.index("甲局执法程序问题")
    assert f'{reverse("portal:typical")}#supervision-1' in section
    page = client.get(reverse("portal:typical")).content.decode()
    assert 'id="accountability-7"' in page and "甲局未经法制审核作出重大执法决定。" in page and "已整改" in page


def test_supervision_typical_findings_when_the_app_provides_them(world, client):
    try:
        from yifa.supervision.selectors import public_typical_cases  # noqa: F401
    except ImportError:
        pytest.skip("the supervision app publishes no typical cases (covered by the 暂无 test)")
    from yifa.supervision import services
    from yifa.supervision.models import Finding

    finding = Finding.objects.create(org=world.dept_a, category="procedure", description="内部描述：王小明 13800001111",
                                     raised_on=date(2026, 4, 2))
    hidden = Finding.objects.create(org=world.dept_a, category="document", description="不公开的问题",
                                    raised_on=date(2026, 4, 3))
    services.mark_finding(actor=world.supervisor, finding=finding, typical=True,
                          public_summary="某局对当事人（电话13800001111）未告知陈述申辩权即作出处罚决定。")
    services.mark_finding(actor=world.supervisor, finding=hidden, is_major=True)
    for name in ("portal:home", "portal:typical"):
        body = client.get(reverse(name)).content.decode()
        assert "未告知陈述申辩权即作出处罚决定" in body, name
        assert "13800001111" not in body and "王小明" not in body and "内部描述" not in body
        assert "不公开的问题" not in body
    body = client.get(reverse("portal:typical")).content.decode()
    assert f'id="supervision-{finding.pk}"' in body and "测试县市场监督管理局" in body
    if selectors.first_url("supervision:typical"):
        assert reverse("supervision:typical") in body
