"""The calculator's three interfaces: CLI, API and page — including the missing year."""

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yifa.deadlines.models import DeadlineRule

# LEGAL_RULES.md "Deadline rules": code → (N, unit)
LEGAL_RULES = {
    "penalty.decision": (90, "CD"), "penalty.service": (7, "WD"), "penalty.hearing_request": (5, "WD"),
    "penalty.hearing_notice": (7, "WD"), "penalty.payment": (15, "CD"), "penalty.publicity": (7, "WD"),
    "penalty.publicity_withdraw": (3, "WD"), "permit.materials_notice": (5, "WD"), "permit.decision": (20, "WD"),
    "permit.issue": (10, "WD"), "permit.publicity": (7, "WD"), "enforcement.publicity": (20, "WD"),
    "coercion.seizure": (30, "CD"), "reconsideration.application": (60, "CD"),
    "reconsideration.decision": (60, "CD"), "reconsideration.opinion_reply": (60, "CD"),
    "litigation.filing": (6, "months"), "litigation.after_reconsideration": (15, "CD"), "foia.reply": (20, "WD"),
    "supervision.rectification": (30, "CD"), "review.major_decision.min": (7, "WD"),
    "decision.public_comment.min": (30, "CD"), "normative.review": (15, "WD"),
}
KEYS = {"rule", "start", "due", "unit", "n", "basis", "provisional", "waiting_for_year"}


def run_cli(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_every_legal_rules_code_is_seeded_with_its_n_and_unit():
    seeded = {r.code: (r.n, r.unit) for r in DeadlineRule.objects.all()}
    assert {code: seeded.get(code) for code in LEGAL_RULES} == LEGAL_RULES  # other apps may add their own
    assert set(DeadlineRule.objects.filter(is_local_default=True, code__in=LEGAL_RULES).values_list("code", flat=True)) == {
        "supervision.rectification", "normative.review"}


@pytest.mark.django_db
@pytest.mark.parametrize("code", sorted(LEGAL_RULES))
def test_cli_json_answers_every_rule_code(code):
    out, _ = run_cli("deadline", code, "2025-06-10", "--json")
    data = json.loads(out)
    assert set(data) == KEYS
    assert data["rule"] == code and data["start"] == "2025-06-10"
    assert (data["n"], data["unit"]) == LEGAL_RULES[code]
    assert data["basis"]
    assert len(out.strip().splitlines()) == 1


@pytest.mark.django_db
def test_cli_plain_output_gives_due_unit_n_and_citation():
    out, _ = run_cli("deadline", "permit.decision", "2025-09-25")
    assert "2025-10-29" in out and "WD 20" in out and "行政许可法" in out and "国庆节" in out


@pytest.mark.django_db
@pytest.mark.parametrize("args,fragment", [
    (("no.such.rule", "2025-06-10"), "no.such.rule"),
    (("penalty.decision", "2025-13-01"), "YYYY-MM-DD"),
    (("penalty.decision", "2026-12-01", "--strict"), "2027"),
    (("penalty.decision", "2025-06-10", "--org", "999999"), "999999"),
])
def test_cli_errors_exit_2_with_one_line(args, fragment):
    with pytest.raises(CommandError) as exc:
        run_cli("deadline", *args)
    assert exc.value.returncode == 2
    assert fragment in str(exc.value)
    assert "\n" not in str(exc.value)


def test_cli_process_exit_status_and_stderr(tmp_path):
    """The real console entry point: exit status 2, one line on stderr, nothing on stdout."""
    import os

    db = tmp_path / "cli.sqlite3"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # its own SQLite file
    env.update({"YIFA_SQLITE_PATH": str(db), "DJANGO_SETTINGS_MODULE": "yifa.settings"})
    subprocess.run([sys.executable, "-m", "yifa", "migrate", "-v0"], env=env, check=True)
    done = subprocess.run([sys.executable, "-m", "yifa", "deadline", "penalty.decision", "2026-12-01", "--json",
                           "--strict"], env=env, capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "2027" in done.stderr
    provisional = subprocess.run([sys.executable, "-m", "yifa", "deadline", "penalty.decision", "2026-12-01", "--json"],
                                 env=env, capture_output=True, text=True)
    assert provisional.returncode == 0
    assert json.loads(provisional.stdout) == {
        "rule": "penalty.decision", "start": "2026-12-01", "due": "2027-03-01", "unit": "CD", "n": 90,
        "basis": "《行政处罚法》第六十条", "provisional": True, "waiting_for_year": 2027}
    ok = subprocess.run([sys.executable, "-m", "yifa", "deadline", "penalty.payment", "2025-09-16", "--json"],
                        env=env, capture_output=True, text=True)
    assert ok.returncode == 0
    assert json.loads(ok.stdout) == {"rule": "penalty.payment", "start": "2025-09-16", "due": "2025-10-09",
                                     "unit": "CD", "n": 15, "basis": "《行政处罚法》第六十七条",
                                     "provisional": False, "waiting_for_year": None}


HOLIDAYS_2027 = """date,kind,name,source
2027-01-01,holiday,元旦,测试通知
2027-02-06,holiday,春节,测试通知
2027-02-07,holiday,春节,测试通知
2027-02-08,holiday,春节,测试通知
2027-02-09,holiday,春节,测试通知
2027-02-10,holiday,春节,测试通知
2027-02-11,holiday,春节,测试通知
2027-02-12,holiday,春节,测试通知
2027-02-20,makeup_workday,春节调休上班,测试通知
"""


@pytest.mark.django_db
def test_missing_2027_provisional_then_import_makes_all_interfaces_final(tmp_path, world, client_for):
    api = client_for(world.officer_a)
    url = "/api/v1/deadlines/compute/?rule=penalty.decision&start=2026-12-01"
    # 1. a provisional answer everywhere, said loudly; strict mode refuses, naming the year
    out, _ = run_cli("deadline", "penalty.decision", "2026-12-01", "--json")
    data = json.loads(out)
    assert (data["due"], data["provisional"], data["waiting_for_year"]) == ("2027-03-01", True, 2027)
    out, _ = run_cli("deadline", "penalty.decision", "2026-12-01")
    assert "2027-03-01（暂定）" in out and "2027 年放假安排尚未录入完整" in out
    resp = api.get(url)
    assert resp.status_code == 200
    assert (resp.json()["due"], resp.json()["provisional"], resp.json()["waiting_for_year"]) == ("2027-03-01", True, 2027)
    with pytest.raises(CommandError, match="2027") as exc:
        run_cli("deadline", "penalty.decision", "2026-12-01", "--json", "--strict")
    assert exc.value.returncode == 2
    resp = api.get(url + "&strict=1")
    assert resp.status_code == 400
    body = resp.json()
    assert body["code"] == "missing_holiday_data" and "2027" in body["message"]
    page = api.get("/deadlines/calculator/?rule=penalty.decision&start=2026-12-01").content.decode()
    assert "暂定" in page and 'id="calc-provisional"' in page and "2027 年放假安排尚未录入完整" in page
    page = api.get("/deadlines/calculator/?rule=penalty.decision&start=2026-12-01&strict=on").content.decode()
    assert "缺少 2027 年节假日数据" in page and 'id="calc-result"' not in page

    # 2. importing without marking the year complete: still provisional (the entered days count)
    csv_file = tmp_path / "2027.csv"
    csv_file.write_text(HOLIDAYS_2027, encoding="utf-8")
    out, _ = run_cli("holidays", "import", str(csv_file))
    assert "9" in out
    out, _ = run_cli("deadline", "penalty.service", "2027-02-05", "--json")
    assert json.loads(out)["provisional"] is True
    with pytest.raises(CommandError, match="2027"):
        run_cli("deadline", "penalty.decision", "2026-12-01", "--json", "--strict")
    run_cli("holidays", "complete", "2027")

    # 3. final everywhere (90 CD from 2026-12-01 is Mon 2027-03-01)
    out, _ = run_cli("deadline", "penalty.decision", "2026-12-01", "--json", "--strict")
    assert json.loads(out)["due"] == "2027-03-01" and json.loads(out)["provisional"] is False
    assert api.get(url).json()["due"] == "2027-03-01"
    assert api.get(url).json()["provisional"] is False
    # 2027-02-05 + 5 WD: the spring festival just entered is skipped, the make-up Saturday counts
    out, _ = run_cli("deadline", "permit.materials_notice", "2027-02-05", "--json")
    assert json.loads(out)["due"] == "2027-02-19"
    out, _ = run_cli("deadline", "penalty.hearing_request", "2027-02-05", "--json")
    assert json.loads(out)["due"] == "2027-02-19"  # 15,16,17,18,19
    out, _ = run_cli("deadline", "penalty.service", "2027-02-05", "--json")
    assert json.loads(out)["due"] == "2027-02-22"  # …19, 20 (make-up Sat), 22


@pytest.mark.django_db
def test_import_with_complete_flag_in_one_step(tmp_path):
    csv_file = tmp_path / "2027.csv"
    csv_file.write_text(HOLIDAYS_2027, encoding="utf-8")
    run_cli("holidays", "import", str(csv_file), "--complete", "--source", "国务院办公厅通知（测试）")
    out, _ = run_cli("deadline", "permit.materials_notice", "2027-02-05", "--json")
    assert json.loads(out)["due"] == "2027-02-19"


@pytest.mark.django_db
def test_import_refuses_duplicates_and_conflicts_all_or_nothing(tmp_path):
    from yifa.audit.models import AuditEvent
    from yifa.deadlines.models import HolidayDay, HolidayYear

    bad = tmp_path / "bad.csv"
    bad.write_text("2027-01-01,holiday,元旦\n2027-01-01,holiday,元旦\n2025-10-01,holiday,国庆节\n"
                   "2025-10-11,holiday,国庆节\n2027-03-03,makeup_workday,调休\n2027-13-01,holiday,x\n"
                   "2027-04-05,weird,清明节\n", encoding="utf-8")
    before = (HolidayDay.objects.count(), HolidayYear.objects.count(), AuditEvent.objects.count())
    with pytest.raises(CommandError) as exc:
        run_cli("holidays", "import", str(bad), "--complete")
    message = str(exc.value)
    assert exc.value.returncode == 2
    for fragment in ("2027-13-01", "weird"):
        assert fragment in message
    with pytest.raises(CommandError) as exc:
        bad.write_text("2027-01-01,holiday,元旦\n2027-01-01,holiday,元旦\n2025-10-01,holiday,国庆节\n"
                       "2025-10-11,holiday,国庆节\n2027-03-03,makeup_workday,调休\n", encoding="utf-8")
        run_cli("holidays", "import", str(bad), "--complete")
    message = str(exc.value)
    assert "与第 1 行重复" in message
    assert "2025-10-01：已有记录" in message and "不能重复录入" in message
    assert "2025-10-11：已有记录" in message and "冲突" in message
    assert "调休上班日必须是周六或周日" in message
    assert (HolidayDay.objects.count(), HolidayYear.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.django_db
def test_import_is_audited(tmp_path):
    from yifa.audit.models import AuditEvent

    csv_file = tmp_path / "2027.csv"
    csv_file.write_text(HOLIDAYS_2027, encoding="utf-8")
    run_cli("holidays", "import", str(csv_file), "--complete")
    event = AuditEvent.objects.filter(action="holidays.import").get()
    assert event.after["complete"] is True and len(event.after["added"]) == 9


# --- API ----------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_api_compute_returns_the_documented_object(world, client_for):
    resp = client_for(world.officer_a).get("/api/v1/deadlines/compute/",
                                           {"rule": "permit.materials_notice", "start": "2025-09-26"})
    assert resp.status_code == 200
    data = resp.json()
    assert KEYS <= set(data) and set(data) - KEYS == {"skipped_days"}
    assert data["due"] == "2025-10-10" and data["unit"] == "WD" and data["n"] == 5
    assert {"date": "2025-10-01", "name": "国庆节", "reason": "non_working"} in data["skipped_days"]


@pytest.mark.django_db
@pytest.mark.parametrize("params,field", [
    ({"rule": "nope", "start": "2025-06-10"}, "rule"),
    ({"rule": "penalty.decision", "start": "2025-6-1x"}, "start"),
    ({"start": "2025-06-10"}, "rule"),
])
def test_api_compute_errors_are_400_in_the_error_format(world, client_for, params, field):
    resp = client_for(world.officer_a).get("/api/v1/deadlines/compute/", params)
    assert resp.status_code == 400
    body = resp.json()
    assert set(body) == {"code", "message", "fields"} and field in body["fields"]


@pytest.mark.django_db
def test_api_compute_org_must_be_visible(world, client_for):
    resp = client_for(world.town_b_legal).get("/api/v1/deadlines/compute/", {
        "rule": "penalty.publicity", "start": "2025-06-10", "org": world.town_a.pk})
    assert resp.status_code == 400 and "org" in resp.json()["fields"]


@pytest.mark.django_db
def test_api_requires_login(client):
    assert client.get("/api/v1/deadlines/compute/?rule=penalty.decision&start=2025-06-10").status_code in (401, 403)


@pytest.mark.django_db
def test_api_rules_list(world, client_for):
    resp = client_for(world.officer_a).get("/api/v1/deadlines/rules/", {"page_size": 100})
    assert resp.status_code == 200
    codes = {r["code"] for r in resp.json()["results"]}
    assert codes >= set(LEGAL_RULES)
    one = client_for(world.officer_a).get("/api/v1/deadlines/rules/penalty.publicity/")
    assert one.status_code == 200 and one.json()["n"] == 7


@pytest.mark.django_db
def test_openapi_documents_compute_parameters(world, client_for):
    resp = client_for(world.admin).get("/api/schema/", {"format": "json"})
    assert resp.status_code == 200
    op = resp.json()["paths"]["/api/v1/deadlines/compute/"]["get"]
    assert {p["name"] for p in op["parameters"]} >= {"rule", "start", "org"}


# --- page ---------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_calculator_page_shows_due_citation_and_skipped_days(world, client_for):
    c = client_for(world.officer_a)
    assert c.get("/deadlines/calculator/").status_code == 200
    html = c.get("/deadlines/calculator/", {"rule": "permit.materials_notice", "start": "2025-09-26"}).content.decode()
    assert "2025-10-10" in html and "行政许可法" in html and "国庆节" in html and "中秋节" in html
    html = c.get("/deadlines/calculator/", {"rule": "", "start": "x"}).content.decode()
    assert "日期格式应为 YYYY-MM-DD" in html


@pytest.mark.django_db
@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01"])
def test_extreme_dates_are_clear_errors_not_crashes(world, client_for, start):
    resp = client_for(world.officer_a).get("/api/v1/deadlines/compute/", {"rule": "penalty.decision", "start": start})
    assert resp.status_code == 400
    with pytest.raises(CommandError) as exc:
        run_cli("deadline", "penalty.hearing_notice", start)
    assert exc.value.returncode == 2
