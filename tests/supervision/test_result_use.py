"""Result use: notices (通报) drafted from findings, edited, issued numbered; typical cases
with masked public summaries on a public page and `public_typical_cases()`; is_major."""

import io
import zipfile
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from yifa.core.errors import DomainError, StaleVersion
from yifa.supervision import selectors, services
from yifa.supervision.models import Finding, NoticeState

pytestmark = pytest.mark.django_db


def _finding(w, org=None, text="未按规定公示行政处罚决定", category="publicity"):
    return services.raise_finding(actor=w.supervisor, org=org or w.dept_a, category=category, description=text,
                                  on=date(2025, 8, 20))


def test_is_major_and_typical_with_masking(world):
    f = _finding(world)
    assert Finding._meta.get_field("is_major").verbose_name == "重大问题"
    f = services.mark_finding(actor=world.supervisor, finding=f, is_major=True)
    assert f.is_major and not f.typical
    with pytest.raises(DomainError, match="公开摘要"):
        services.mark_finding(actor=world.supervisor, finding=f, typical=True, public_summary=" ")
    f.refresh_from_db()
    assert not f.typical
    f = services.mark_finding(actor=world.supervisor, finding=f, typical=True,
                              public_summary="当事人身份证号370102199001011234、电话13812345678，处罚决定未公示。")
    assert f.typical and "370102199001011234" not in f.public_summary and "13812345678" not in f.public_summary
    assert "138****5678" in f.public_summary
    with pytest.raises(StaleVersion):
        services.mark_finding(actor=world.supervisor, finding=f, is_major=False, expected_version=f.version - 1)
    with pytest.raises(PermissionDenied):
        services.mark_finding(actor=world.officer_a, finding=f, is_major=False)
    with pytest.raises(PermissionDenied):
        services.mark_finding(actor=world.dept_b_legal, finding=f, is_major=False)
    rows = selectors.public_typical_cases()
    mine = [r for r in rows if r["id"] == f.pk]
    assert mine and mine[0]["summary"] == f.public_summary and mine[0]["org_name"] == world.dept_a.name
    assert set(mine[0]) == {"id", "org_name", "category", "category_label", "raised_on", "summary", "corrected"}
    other = _finding(world, text="不公开的问题")
    assert other.pk not in {r["id"] for r in selectors.public_typical_cases()}


def test_public_typical_page_without_login(world, client):
    f = _finding(world, text="内部描述不应公开")
    services.mark_finding(actor=world.supervisor, finding=f, typical=True, public_summary="某局对同一商户反复罚款而不督促整改。")
    page = client.get("/supervision/typical/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "反复罚款而不督促整改" in html and "内部描述不应公开" not in html


def test_notice_draft_edit_issue(world):
    f1 = _finding(world)
    f2 = _finding(world, org=world.dept_b, text="执法人员未出示执法证件", category="procedure")
    f2 = services.correct_finding(actor=world.dept_b_legal, finding=f2, evidence="已培训", on=date(2025, 9, 1))
    with pytest.raises(DomainError, match="至少"):
        services.create_notice(actor=world.supervisor, title="通报", findings=[])
    with pytest.raises(DomainError, match="监督范围"):
        services.create_notice(actor=world.dept_a_legal, title="通报", findings=[f2])
    with pytest.raises(PermissionDenied):
        services.create_notice(actor=world.officer_a, title="通报", findings=[f1])
    n = services.create_notice(actor=world.supervisor, title="关于2025年第三季度行政执法监督情况的通报",
                               findings=[f1, f2], period_start=date(2025, 7, 1), period_end=date(2025, 9, 30))
    assert "共发现问题 2 个，已整改 1 个" in n.body and world.dept_b.name in n.body and "执法人员未出示执法证件" in n.body
    n = services.edit_notice(actor=world.supervisor, notice=n, title=n.title, body=n.body + "\n特此通报。",
                             expected_version=n.version)
    with pytest.raises(StaleVersion):
        services.edit_notice(actor=world.supervisor, notice=n, title="x", body="y", expected_version=n.version - 1)
    n = services.issue_notice(actor=world.supervisor, notice=n, on=date(2025, 10, 10))
    assert n.state == NoticeState.ISSUED and n.doc_number and "通" in n.doc_number
    with open(n.document.file_path("docx"), "rb") as fh, zipfile.ZipFile(io.BytesIO(fh.read())) as z:
        xml = z.read("word/document.xml").decode()
    assert "特此通报" in xml and "第三季度" in xml
    with pytest.raises(DomainError, match="已印发"):
        services.edit_notice(actor=world.supervisor, notice=n, title="x", body="y")


def test_pages_and_api(world, client_for):
    f = _finding(world)
    c = client_for(world.supervisor)
    resp = c.post(f"/supervision/findings/{f.pk}/op/mark/", {"is_major": "1", "version": f.version})
    assert resp.status_code == 302
    f.refresh_from_db()
    assert f.is_major and "重大问题" in c.get(f"/supervision/findings/{f.pk}/").content.decode()
    r = c.post(f"/api/v1/supervision/findings/{f.pk}/mark/", {"typical": True}, content_type="application/json")
    assert r.status_code == 400 and "公开摘要" in r.json()["message"]
    r = c.post(f"/api/v1/supervision/findings/{f.pk}/mark/", {"typical": True, "public_summary": "摘要"},
               content_type="application/json")
    assert r.status_code == 200 and r.json()["typical"] is True and r.json()["is_major"] is True
    assert client_for(world.dept_b_legal).post(f"/api/v1/supervision/findings/{f.pk}/mark/", {"is_major": False},
                                               content_type="application/json").status_code == 404
    # notices: page form, then API edit and issue
    resp = c.post("/supervision/notices/new/", {"title": "关于监督发现问题的通报", "findings": [f.pk]})
    assert resp.status_code == 302
    nid = int(resp["Location"].rstrip("/").split("/")[-1])
    page = c.get(f"/supervision/notices/{nid}/").content.decode()
    assert "notice-edit" in page and "未按规定公示行政处罚决定" in page
    r = c.post(f"/api/v1/supervision/notices/{nid}/edit/", {"title": "关于监督发现问题的通报", "body": "改后的正文",
                                                             "version": 1}, content_type="application/json")
    assert r.status_code == 200 and r.json()["body"] == "改后的正文"
    r = c.post(f"/api/v1/supervision/notices/{nid}/issue/", {"version": 1}, content_type="application/json")
    assert r.status_code == 409
    r = c.post(f"/api/v1/supervision/notices/{nid}/issue/", {"on": "2025-10-10"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "issued" and r.json()["doc_number"]
    assert c.get(f"/supervision/notices/{nid}/download/docx/").status_code == 200
    r = c.post("/api/v1/supervision/notices/", {"title": "x", "findings": [999999]}, content_type="application/json")
    assert r.status_code == 400
    assert client_for(world.dept_b_legal).get(f"/supervision/notices/{nid}/").status_code == 404
