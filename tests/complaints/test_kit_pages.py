"""The view kit on the complaint pages: the list's Excel (only the rows in the user's
scope, dates and numbers as such, personal data masked), the confirm dialogs on the
irreversible acts, and the typed input kept when a service refuses."""

import io
import json
import re
from datetime import date, datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from yifa.core.xlsx import XLSX
from yifa.supervision.complaints import services
from yifa.supervision.complaints.models import Complaint

from .helpers import staff_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _rows(response):
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(r) for r in wb.active.iter_rows(values_only=True)]


def test_list_links_its_export_and_exports_only_the_visible_rows(world, client_for):
    ours = staff_complaint(world, unit=world.town_a, complainant_name="钱七七", complainant_phone="13700001111")
    theirs = staff_complaint(world, unit=world.town_b, complainant_name="孙八八", complainant_phone="13700002222")
    services.route(actor=world.supervisor, complaint=ours, unit=world.town_a, on=date(2026, 3, 3))
    finding = services.to_finding(actor=world.supervisor, complaint=ours, category="procedure",
                                  on=date(2026, 3, 4))
    town_a = client_for(world.town_a_legal)
    page = town_a.get(reverse("complaints:list")).content.decode()
    links = re.findall(r'<a [^>]*id="export-link"[^>]*>', page)
    assert len(links) == 1 and "export=xlsx" in links[0]  # one 导出 Excel, the kit's

    rows = _rows(town_a.get(reverse("complaints:list") + "?export=xlsx"))
    header, body = rows[0], rows[1:]
    codes = [r[0] for r in body]
    assert ours.query_code in codes and theirs.query_code not in codes  # town_a's file: not town_b's
    assert set(codes) == set(Complaint.objects.visible_to(world.town_a_legal).values_list("query_code", flat=True))
    row = dict(zip(header, body[codes.index(ours.query_code)]))
    assert isinstance(row["接收日期"], datetime) and row["接收日期"].date() == date(2026, 3, 2)
    assert isinstance(row["转办日期"], datetime)
    assert row["转为监督问题"] == finding.pk and isinstance(row["转为监督问题"], int)
    assert row["投诉人"] == "钱**" and "钱七七" not in str(rows)

    everyone = _rows(client_for(world.supervisor).get(reverse("complaints:list") + "?export=xlsx&state=received"))
    codes = [r[0] for r in everyone[1:]]
    assert theirs.query_code in codes and ours.query_code not in codes  # the filter applies to the file too


def test_irreversible_acts_ask_first(world, client_for):
    c = staff_complaint(world)
    sup = client_for(world.supervisor)
    page = sup.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    for form_id, words in (("reject-form", "不予受理"), ("finding-form", "转为监督发现的问题")):
        tag = re.search(rf'<form [^>]*id="{form_id}"[^>]*>', page).group(0)
        assert "data-confirm=" in tag and words in tag
    services.route(actor=world.supervisor, complaint=c, unit=world.dept_a, on=date(2026, 3, 3))
    services.reply(actor=world.dept_a_legal, complaint=c, text="已核查处理。", on=date(2026, 3, 9))
    page = sup.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    tag = re.search(r'<form [^>]*id="close-form"[^>]*>', page).group(0)
    assert 'data-confirm="将办结' in tag


def test_register_form_keeps_the_typed_input_when_the_service_refuses(world, client_for):
    sup = client_for(world.supervisor)
    form = sup.get(reverse("complaints:create")).content.decode()
    assert 'enctype="multipart/form-data"' in form and 'name="attachment"' in form  # the kit's form takes files
    r = sup.post(reverse("complaints:create"), {
        "source": "visit", "on": "2026-03-01", "subject_unit": world.dept_a.pk, "category": "fine",
        "complainant_name": "周九九", "complainant_phone": "12", "content": "来访反映执法人员未出示执法证件即开展检查。"})
    page = r.content.decode()
    assert r.status_code == 200 and "电话号码格式不正确" in page  # the service's refusal, on the form
    assert 'value="周九九"' in page and "来访反映执法人员未出示执法证件即开展检查。" in page
    assert not Complaint.objects.filter(complainant_name="周九九").exists()


def test_a_refused_reply_keeps_what_was_typed(world, client_for):
    c = staff_complaint(world)
    c = services.route(actor=world.supervisor, complaint=c, unit=world.dept_a, on=date(2026, 3, 3))
    unit = client_for(world.dept_a_legal)
    url = reverse("complaints:op", args=[c.pk, "reply"])
    r = unit.post(url, {"reply": "经核查，罚款已全额退还当事人。", "on": "2999-01-01", "version": c.version})
    assert r.status_code == 302 and r["Location"] == reverse("complaints:detail", args=[c.pk])
    page = unit.get(r["Location"]).content.decode()
    assert "答复日期不能晚于今天" in page
    assert "未登记的" not in page  # the history panel names every field of the snapshots
    kept = json.loads(re.search(r'<script id="kept-input" type="application/json">(.*?)</script>', page).group(1))
    assert kept["action"] == url and kept["data"]["reply"] == ["经核查，罚款已全额退还当事人。"]
    c.refresh_from_db()
    assert c.state == "routed" and not c.reply


def test_register_form_takes_the_attachment(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
    r = client_for(world.supervisor).post(reverse("complaints:create"), {
        "source": "letter", "on": "2026-03-01", "subject_unit": world.dept_a.pk, "category": "fine",
        "complainant_name": "吴十", "complainant_phone": "13512345678", "content": "来信反映罚款未开具票据，附现场照片。",
        "attachment": SimpleUploadedFile("现场照片.png", png, content_type="image/png")})
    c = Complaint.objects.get(complainant_name="吴十")
    assert r.status_code == 302 and r["Location"] == reverse("complaints:detail", args=[c.pk])
    assert c.attachment_name == "现场照片.png" and c.attachment_type == "image/png"
