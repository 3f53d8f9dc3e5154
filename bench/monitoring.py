"""Benchmark of the enforcement monitoring pages (issue 5).

Generates N cases (default 200,000) in a separate database, then prints p50/p95 of
  - the monitoring board (county scope),
  - the overdue list (first page, filtered by one unit),
  - a case detail page,
each next to the bare SQL that returns the same rows, as a ratio; then repeats at N/10
and prints page p95 at N against page p95 at N/10.

    .venv/bin/python bench/monitoring.py                 # SQLite, N = 200,000
    .venv/bin/python bench/monitoring.py --n 50000
    DATABASE_URL=postgres://… .venv/bin/python bench/monitoring.py --n 1000000

On SQLite each size gets its own temporary YIFA_VAR_DIR (set before django.setup()).
On PostgreSQL the given database is flushed and refilled: use a throwaway database.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# YIFA_BENCH_SRC: measure another checkout's code (e.g. an exported older commit) with this script
sys.path.insert(0, os.environ.get("YIFA_BENCH_SRC") or str(ROOT / "src"))
sys.path.insert(1, str(ROOT / "bench"))


def percentile(xs, p):
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, round(p / 100 * (len(xs) - 1))))
    return xs[k]


def timed(fn, repeat):
    fn()  # warm-up
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return statistics.median(out), percentile(out, 95)


def setup_django(var_dir):
    os.environ["YIFA_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yifa.settings")
    os.environ.setdefault("YIFA_LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]


def build(n, today, progress=print, counties=1):
    """County, base libraries (the demo's), then n cases in bulk with realistic shape:
    ~4% open (their deadlines computed by the engine, memoised per start day). With
    `counties` > 1 (PostgreSQL) the demo county is cloned into a province of that many
    counties (ten per city; 86 units and 237 officers each) and the cases spread over all
    of their departments and townships."""
    import random

    from django.core.management import call_command
    from django.db import connection, transaction

    from yifa.enforcement import demo as enf_demo
    from yifa.enforcement.models import Case, Officer
    from yifa.orgs import demo as orgs_demo

    if connection.vendor == "postgresql":
        # a clean schema (flush would also drop the rules and calendars seeded by migrations)
        with connection.cursor() as cur:
            cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    ctx = {}
    with transaction.atomic():
        orgs_demo.load(ctx, lambda m: None)
        enf_demo.build(ctx, lambda m: None, today=today, per_day=0.05)  # libraries (+ a few demo cases)
    rng = random.Random(7)
    orgs = ctx["orgs"]
    if counties > 1 and connection.vendor == "postgresql":
        orgs = clone_counties(counties, orgs, progress)
    units = [o for code, o in orgs.items()
             if code.startswith(("QH-D-", "QH-T-")) and code.split("~")[0].count("-") == 2]
    from yifa.enforcement.models import EnforcementItem

    items = list(EnforcementItem.objects.all())
    officers_by_org = {}
    for o in Officer.objects.all():
        officers_by_org.setdefault(o.org_id, []).append(o.pk)
    fallback_officers = [o for ids in officers_by_org.values() for o in ids]
    dl = enf_demo._Deadlines()
    memo = {}

    def deadline(code, start):
        key = (code, start)
        if key not in memo:
            try:
                memo[key] = dl.due(code, start)[:2]
            except Exception:  # a year without holiday data: leave the deadline pending
                memo[key] = (None, None)
        return memo[key]

    from yifa.deadlines.models import TrackedDeadline

    rule, eff = dl.rule("penalty.decision")
    if connection.vendor == "postgresql":
        build_sql(n, today, units, items, officers_by_org, deadline, rule, eff, progress)
        from yifa.enforcement.services import rebuild_rollup

        rebuild_rollup()
        t1 = time.perf_counter()
        with connection.cursor() as cur:
            # what a bulk load is followed by in production: the visibility map (index-only
            # scans) and the hint bits set now, not by autovacuum and the first readers while
            # the pages are being measured
            cur.execute("VACUUM (ANALYZE)")
        progress(f"  built in {time.perf_counter() - t0:.0f} s (VACUUM ANALYZE {time.perf_counter() - t1:.0f} s)")
        return ctx
    span = 3 * 365
    batch, made = 5000, 0
    through = Case.officers.through
    while made < n:
        size = min(batch, n - made)
        cases = []
        for i in range(size):
            k = made + i
            filed = today - timedelta(days=int(rng.random() ** 1.2 * span))
            org = rng.choice(units)
            age = (today - filed).days
            is_open = age < 120 and rng.random() < 0.35
            c = Case(org=org, item=rng.choice(items), case_type="penalty", procedure="general",
                     state=rng.choice(["investigating", "notified", "legal_review"]) if is_open else "closed",
                     filed_on=filed, case_no=f"B{k:08d}", source_system="bench", source_case_no=f"B{k:08d}",
                     title="基准测试案件", party_name=f"当事人{k}", is_open=is_open)
            if is_open:
                c.due, c.yellow_from = deadline("penalty.decision", filed)
                c.due_rule = "penalty.decision" if c.due else ""
            else:
                c.closed_on = min(today, filed + timedelta(days=rng.randrange(20, 100)))
                c.on_time = rng.random() < 0.93
            cases.append(c)
        with transaction.atomic():
            Case.objects.bulk_create(cases, batch_size=1000)
            rows = []
            for c in cases:
                pool = officers_by_org.get(c.org_id) or fallback_officers
                for oid in rng.sample(pool, 2) if len(pool) >= 2 else pool:
                    rows.append(through(case_id=c.pk, officer_id=oid))
            through.objects.bulk_create(rows, batch_size=2000)
            TrackedDeadline.objects.bulk_create([
                TrackedDeadline(owner_type="enforcement.case", owner_id=str(c.pk), org_id=c.org_id, rule=rule,
                                title=c.case_no, start=c.filed_on, n=eff.n, unit=eff.unit, due=c.due,
                                yellow_from=c.yellow_from, citation=eff.basis, state="open")
                for c in cases if c.is_open and c.due], batch_size=1000)
        made += size
        if made % 50000 == 0 or made == n:
            progress(f"  {made:,} cases")
    from yifa.enforcement.services import rebuild_rollup

    rebuild_rollup()
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    progress(f"  built in {time.perf_counter() - t0:.0f} s")
    return ctx


def clone_counties(k, orgs, progress=print):
    """A province: the demo county (清河县, under 清州市) and k - 1 copies of its unit tree,
    ten counties per city (new cities 示范市01…), each copy with its own officers (certificate
    numbers suffixed). Org codes of copy j end in "~j". Returns every org by code."""
    from django.db import connection, transaction

    from yifa.enforcement.models import Officer
    from yifa.orgs.models import PATH_SEGMENT, Organization, OrgKind

    t = time.perf_counter()
    county, city, province = orgs["QH-GOV"], orgs["SF-QZ"], orgs["SF"]
    tree = list(Organization.objects.filter(path__startswith=county.path).order_by("depth", "path"))

    def seg(pk):
        return f"{pk:0{PATH_SEGMENT}d}."

    def insert(objs):
        Organization.objects.bulk_create(objs, batch_size=2000)
        for o in objs:
            o.path = (o._parent_path or "") + seg(o.pk)
        Organization.objects.bulk_update(objs, ["path"], batch_size=2000)

    with transaction.atomic():
        cities = [city]
        for c in range(1, (k - 1) // 10 + 1):
            o = Organization(name=f"示范市{c:02d}", code=f"SF-C{c:02d}", kind=OrgKind.CITY, parent=province,
                             depth=province.depth + 1)
            o._parent_path = province.path
            cities.append(o)
        insert(cities[1:])
        mapping = {}  # (old id, copy) -> new org
        for level in sorted({o.depth for o in tree}):
            batch = []
            for j in range(1, k):
                for old in (o for o in tree if o.depth == level):
                    if old.pk == county.pk:
                        parent = cities[j // 10]
                    else:
                        parent = mapping[(old.parent_id, j)]
                    o = Organization(name=f"{old.name}" if old.pk != county.pk else f"示范县{j:03d}人民政府",
                                     short_name=old.short_name, code=f"{old.code}~{j}", kind=old.kind, parent=parent,
                                     depth=parent.depth + 1, sort_order=old.sort_order, head_name=old.head_name)
                    o._parent_path = parent.path
                    mapping[(old.pk, j)] = o
                    batch.append(o)
            insert(batch)
        with connection.cursor() as cur:
            cur.execute("CREATE TEMP TABLE bench_orgmap (old bigint, copy int, new bigint) ON COMMIT DROP")
            cur.executemany("INSERT INTO bench_orgmap VALUES (%s, %s, %s)",
                            [(old, j, o.pk) for (old, j), o in mapping.items()])
            cols = [f.column for f in Officer._meta.concrete_fields if f.column != "id"]
            sel = {c: f"f.{c}" for c in cols}
            sel.update({"org_id": "m.new", "certificate_no": "f.certificate_no || '~' || m.copy", "user_id": "NULL"})
            cur.execute(f"INSERT INTO {Officer._meta.db_table} ({', '.join(cols)}) "
                        f"SELECT {', '.join(sel[c] for c in cols)} FROM {Officer._meta.db_table} f "
                        "JOIN bench_orgmap m ON m.old = f.org_id")
    out = dict(orgs)
    out.update({o.code: o for o in cities})
    out.update({o.code: o for o in mapping.values()})
    progress(f"  province: {k} counties, {len(out):,} orgs, "
             f"{Officer.objects.count():,} officers in {time.perf_counter() - t:.0f} s")
    return out


def build_sql(n, today, units, items, officers_by_org, deadline, rule, eff, progress):
    """PostgreSQL: the n cases, their officers, full-process records and open deadlines as
    set-based `INSERT … SELECT generate_series` (minutes for millions, not hours).

    Shape: 3 years of filings skewed to recent; ~4% open (their deadlines computed by the
    engine per filing day); 88% penalty (70% of the decided ones fines, on a skewed pool of
    ~400 parties per unit, so 以罚代管 has repeats), 7% inspection, 5% coercion; 80% general
    procedure; two officers of the case's unit per case; a document and a photo for 97% of the concluded cases;
    `updated_at` = the last act (closing, or today while open)."""
    from django.db import connection, transaction

    unit_ids = [u.pk for u in units]
    item_ids = [i.pk for i in items]
    span = 3 * 365
    t = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("""
            CREATE TEMP TABLE bench_c ON COMMIT DROP AS
            SELECT g, r1, r2, r3, r4, r5,
                   (%(today)s::date - floor(power(r1, 1.2) * %(span)s)::int) AS filed
            FROM (SELECT g, random() r1, random() r2, random() r3, random() r4, random() r5
                  FROM generate_series(0, %(n)s - 1) g) x""", {"n": n, "today": today, "span": span})
        cur.execute("""
            INSERT INTO enforcement_case (org_id, case_no, case_type, procedure, state, item_id, title, party_name,
              party_kind, party_id_no, party_phone, party_address, facts, filed_on, limitation_five_years, sanction,
              amount, circumstance, discretion_reason, major_public_interest, rights_waived, hearing_requested,
              legal_review_result, legal_review_opinion, decided_on, closed_on, decision_change, publicity_state,
              publicity_text, is_open, due_provisional, due_rule, on_time, source_system, source_case_no, version,
              created_at, updated_at, certificate_shown, rest_day_reason, collected_on_spot)
            SELECT org, 'B' || lpad(g::text, 8, '0'), ctype, proc,
                   CASE WHEN op THEN (ARRAY['investigating','notified','legal_review'])[1 + g %% 3] ELSE 'closed' END,
                   (%(items)s::bigint[])[1 + (g * 7) %% %(ni)s], '基准测试案件',
                   '当事人' || org || '-' || floor(power(r3, 3) * 400)::int, 'individual', '', '', '', '', filed,
                   false,
                   CASE WHEN ctype = 'penalty' AND NOT op THEN (CASE WHEN r4 < 0.7 THEN 'fine' ELSE 'warning' END)
                        ELSE '' END,
                   CASE WHEN ctype = 'penalty' AND NOT op AND r4 < 0.7 THEN round((200 + r5 * 4800)::numeric, 2) END,
                   '', '', false, false, false,
                   CASE WHEN NOT op THEN 'passed' ELSE '' END, '',
                   CASE WHEN NOT op THEN decided END, CASE WHEN NOT op THEN closed END, '', 'none', '',
                   op, false, '', CASE WHEN NOT op THEN r5 < 0.93 END, 'bench', 'B' || lpad(g::text, 8, '0'), 1,
                   filed::timestamptz,
                   LEAST(CASE WHEN op THEN %(today)s::date ELSE closed END::timestamptz + interval '9 hours',
                         now()), true, '', false
            FROM (SELECT g, r3, r4, r5, filed,
                         (%(units)s::bigint[])[1 + (g * 2654435761 %% %(nu)s)] AS org,
                         CASE WHEN r2 < 0.88 THEN 'penalty' WHEN r2 < 0.95 THEN 'inspection' ELSE 'coercion' END ctype,
                         CASE WHEN r5 < 0.8 THEN 'general' ELSE 'summary' END proc,
                         (%(today)s::date - filed) < 120 AND (r1 * 1000 - floor(r1 * 1000)) < 0.35 AS op,
                         LEAST(%(today)s::date, filed + 10 + (r4 * 50)::int) AS decided,
                         LEAST(%(today)s::date, filed + 20 + (r4 * 50)::int + (r5 * 30)::int) AS closed
                  FROM bench_c) c
            ORDER BY g""", {"today": today, "units": unit_ids, "nu": len(unit_ids), "items": item_ids,
                            "ni": len(item_ids)})
        progress(f"  {n:,} cases in {time.perf_counter() - t:.0f} s")
        cur.execute("SELECT min(id) FROM enforcement_case WHERE source_system = 'bench'")
        first = cur.fetchone()[0]
        # two officers of the case's own unit (one where the unit has one): the officer rollup
        # then has as many keys as a real province, not one per random (unit, officer) pair
        cur.execute("""
            CREATE TEMP TABLE bench_off ON COMMIT DROP AS
            SELECT org_id, id AS officer_id, (row_number() OVER (PARTITION BY org_id ORDER BY id) - 1)::int AS k,
                   (count(*) OVER (PARTITION BY org_id))::int AS n
            FROM enforcement_officer""")
        cur.execute("CREATE INDEX ON bench_off (org_id, k)")
        cur.execute("""
            INSERT INTO enforcement_case_officers (case_id, officer_id)
            SELECT c.id, o.officer_id FROM enforcement_case c
              JOIN bench_off o ON o.org_id = c.org_id AND o.k = c.id %% o.n WHERE c.id >= %(f)s
            UNION ALL
            SELECT c.id, o.officer_id FROM enforcement_case c
              JOIN bench_off o ON o.org_id = c.org_id AND o.n > 1 AND o.k = (c.id + 1) %% o.n
            WHERE c.id >= %(f)s""", {"f": first})
        cur.execute("""
            INSERT INTO enforcement_processrecord (case_id, org_id, step, kind, file, original_name, content_type,
              size, sm3, description, uploaded_at)
            SELECT id, org_id, 'investigating', k, 'bench/r.pdf', 'r.pdf', 'application/pdf', 10, repeat('0', 64),
                   '', filed_on::timestamptz
            FROM enforcement_case, (VALUES ('document'), ('photo')) v(k)
            WHERE id >= %(f)s AND NOT is_open AND id %% 100 >= 3""", {"f": first})
        progress(f"  officers and records in {time.perf_counter() - t:.0f} s")
        cur.execute("SELECT DISTINCT filed_on FROM enforcement_case WHERE id >= %s AND is_open", [first])
        days = [(d, *deadline("penalty.decision", d)) for (d,) in cur.fetchall()]
        days = [d for d in days if d[1] is not None]
        cur.execute("CREATE TEMP TABLE bench_due (filed date, due date, yellow date) ON COMMIT DROP")
        cur.executemany("INSERT INTO bench_due VALUES (%s, %s, %s)", days)
        cur.execute("""
            UPDATE enforcement_case c SET due = d.due, yellow_from = d.yellow, due_rule = 'penalty.decision'
            FROM bench_due d WHERE c.id >= %s AND c.is_open AND c.filed_on = d.filed""", [first])
        cur.execute("""
            INSERT INTO deadlines_trackeddeadline (owner_type, owner_id, org_id, rule_id, title, start, n, unit, due,
              yellow_from, citation, state, created_at, version, provisional)
            SELECT 'enforcement.case', c.id::text, c.org_id, %s, c.case_no, c.filed_on, %s, %s, c.due, c.yellow_from,
                   %s, 'open', now(), 1, false
            FROM enforcement_case c WHERE c.id >= %s AND c.is_open AND c.due IS NOT NULL""",
                    [rule.pk, eff.n, eff.unit, eff.basis, first])
    progress(f"  loaded in {time.perf_counter() - t:.0f} s")


def reuse(today):
    """An earlier run's database: bring its schema to this code's migrations (timed: the new
    indexes are built here) and refresh the planner statistics."""
    from django.core.management import call_command
    from django.db import connection

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"  migrate on the existing data: {time.perf_counter() - t:.1f} s")
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def bare_sql(sql, params):
    from django.db import connection

    def run():
        with connection.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()

    return run


def measure(n, repeat, today):
    from django.test import Client
    from django.test.utils import override_settings

    from yifa.enforcement import selectors
    from yifa.enforcement.models import Case
    from yifa.orgs.models import Organization, User

    supervisor = User.objects.get(username="supervisor")
    unit = Organization.objects.get(code="QH-D-scjg")
    client = Client()
    client.force_login(supervisor)
    root = supervisor.scope_root.path
    open_case = Case.objects.filter(is_open=True, source_system="bench", org__path__startswith=root).order_by("-id").first()
    results = {}

    # board: the rollup rows the page reads (sums per unit, top 20 per handler/item/officer, with their
    # names), the monthly on-time rollup (trend and per unit) ------------------------------------------------
    board_page = lambda: client.get("/enforcement/monitoring/")  # noqa: E731
    board_selector = lambda: selectors.board(supervisor, today)  # noqa: E731
    vis = "SELECT id FROM orgs_organization WHERE path LIKE %s"
    t = today.isoformat()
    grouped = ("SELECT r.key, SUM(r.total) AS total, SUM(r.red) AS red, SUM(r.yellow), n.{name} "
               "FROM enforcement_openloadrollup r LEFT JOIN {table} n ON n.id = r.key "
               f"WHERE r.dim = %s AND r.org_id IN ({vis}) GROUP BY r.key, n.{{name}} "
               "HAVING SUM(r.total) > 0 ORDER BY red DESC, total DESC, r.key {limit}")
    board_sql_parts = [
        (grouped.format(name="name", table="orgs_organization", limit=""), ["org", root + "%"]),
        (grouped.format(name="display_name", table="orgs_user", limit="LIMIT 20"), ["handler", root + "%"]),
        (grouped.format(name="name", table="enforcement_enforcementitem", limit="LIMIT 20"), ["item", root + "%"]),
        (grouped.format(name="name", table="enforcement_officer", limit="LIMIT 20"), ["officer", root + "%"]),
        (f"SELECT month, SUM(closed), SUM(on_time) FROM enforcement_ontimerollup WHERE org_id IN ({vis}) "
         "GROUP BY month ORDER BY month DESC LIMIT 36", [root + "%"]),
        (f"SELECT r.org_id, o.name, SUM(r.closed), SUM(r.on_time) FROM enforcement_ontimerollup r "
         f"JOIN orgs_organization o ON o.id = r.org_id WHERE r.org_id IN ({vis}) GROUP BY r.org_id, o.name "
         "ORDER BY o.name", [root + "%"]),
    ]

    def board_sql():
        for sql, params in board_sql_parts:
            bare_sql(sql, params)()

    # overdue list, first page, one unit: the page's rows (with unit and handler) and its capped count --------
    overdue_page = lambda: client.get(f"/enforcement/monitoring/cases/?status=red&org={unit.pk}")  # noqa: E731

    def overdue_selector():
        qs = selectors.board_cases(supervisor, today, status="red", org=unit)
        rows = list(qs[:31])
        return rows, (selectors.capped_count(qs) if len(rows) > 30 else None)

    sub = "SELECT id FROM orgs_organization WHERE path LIKE %s LIMIT 501"

    def overdue_rows():
        ids = [r[0] for r in bare_sql(sub, [unit.path + "%"])()]
        marks = ",".join(["%s"] * len(ids))
        return bare_sql(
            "SELECT c.*, o.name, u.display_name FROM enforcement_case c JOIN orgs_organization o ON o.id = c.org_id "
            f"LEFT JOIN orgs_user u ON u.id = c.handler_id WHERE c.is_open AND c.due < %s AND c.org_id IN ({marks}) "
            "ORDER BY c.due, c.id LIMIT 31", [t, *ids])(), ids

    def overdue_count(ids):
        marks = ",".join(["%s"] * len(ids))
        return bare_sql(
            "SELECT COUNT(*) FROM (SELECT 1 FROM enforcement_case c WHERE c.is_open AND c.due < %s "
            f"AND c.org_id IN ({marks}) LIMIT 1001) x", [t, *ids])()

    def overdue_sql():
        rows, ids = overdue_rows()
        if len(rows) > 30:
            overdue_count(ids)

    # case detail: every row the page shows (case with unit/item/handler/body/reviewer, officers, deadlines
    # with rules, warnings, first page of records and of history, documents, the circumstance's benchmark) -----
    detail_page = lambda: client.get(f"/enforcement/cases/{open_case.pk}/")  # noqa: E731

    def detail_selector():
        case = selectors.cases(supervisor).get(pk=open_case.pk)
        deadlines = selectors.case_deadlines(case)
        return (case, list(case.officers.all()), deadlines, selectors.case_warnings(case, deadlines),
                selectors.case_records(case), selectors.case_history(case), selectors.case_documents(case))

    pk, owner = open_case.pk, str(open_case.pk)
    detail_parts = [
        ("SELECT c.*, o.name, i.name, i.category, u.display_name, b.name, r.display_name FROM enforcement_case c "
         "JOIN orgs_organization o ON o.id = c.org_id JOIN enforcement_enforcementitem i ON i.id = c.item_id "
         "LEFT JOIN orgs_user u ON u.id = c.handler_id LEFT JOIN enforcement_enforcementbody b ON b.id = c.body_id "
         "LEFT JOIN orgs_user r ON r.id = c.legal_reviewer_id WHERE c.id = %s "
         "AND c.org_id IN (SELECT id FROM orgs_organization WHERE path LIKE %s)", [pk, root + "%"]),
        ("SELECT f.* FROM enforcement_officer f JOIN enforcement_case_officers co ON co.officer_id = f.id "
         "WHERE co.case_id = %s", [pk]),
        ("SELECT d.*, r.name, r.code FROM deadlines_trackeddeadline d JOIN deadlines_deadlinerule r "
         "ON r.id = d.rule_id WHERE d.owner_type = 'enforcement.case' AND d.owner_id = %s "
         "ORDER BY d.start, d.id", [owner]),
        ("SELECT w.* FROM deadlines_warning w JOIN deadlines_trackeddeadline d ON d.id = w.deadline_id "
         "WHERE d.owner_type = 'enforcement.case' AND d.owner_id = %s ORDER BY w.created_on DESC, w.id DESC "
         "LIMIT 50", [owner]),
        ("SELECT p.*, u.display_name FROM enforcement_processrecord p LEFT JOIN orgs_user u "
         "ON u.id = p.uploaded_by_id WHERE p.case_id = %s ORDER BY p.uploaded_at DESC, p.id DESC LIMIT 21", [pk]),
        ("SELECT * FROM audit_auditevent WHERE object_type = 'enforcement.case' AND object_id = %s "
         "ORDER BY id DESC LIMIT 21", [owner]),
        ("SELECT * FROM documents_issueddocument WHERE owner_type = 'enforcement.case' AND owner_id = %s "
         "ORDER BY id DESC LIMIT 20", [owner]),
    ]

    def detail_sql():
        for sql, params in detail_parts:
            bare_sql(sql, params)()

    # the floor: a logged-in page that renders the base template and reads nothing (session, user, roles,
    # navbar, middleware). Printed for reference; the ratios below are of the whole page.
    floor_page = lambda: client.get("/__bench_floor/")  # noqa: E731

    # the province: its supervisor's board (rollups of every unit) and overdue list, against the board's bare SQL
    # over the province's units; pages whose target is "flat" (their p95 at N against N/10) have no bare SQL ---------
    prov = province_user()
    pclient = Client()
    pclient.force_login(prov)
    proot = prov.scope_root.path
    province_board_page = lambda: pclient.get("/enforcement/monitoring/")  # noqa: E731
    province_board_selector = lambda: selectors.board(prov, today)  # noqa: E731
    province_parts = [(sql, [params[0], proot + "%"] if len(params) == 2 else [proot + "%"])
                      for sql, params in board_sql_parts]

    def province_board_sql():
        for sql, params in province_parts:
            bare_sql(sql, params)()

    leader = User.objects.get(username="leader")
    lclient = Client()
    lclient.force_login(leader)
    anon = Client()
    flat_pages = [
        ("case list", lambda: client.get("/enforcement/")),
        ("public list", lambda: anon.get("/enforcement/public/")),
        ("prov. overdue", lambda: pclient.get("/enforcement/monitoring/cases/?status=red")),
        ("dashboard", lambda: lclient.get("/reports/")),
        ("drill-down", lambda: lclient.get("/reports/figures/monitoring.cases_filed/")),
        ("supervisor home", lambda: client.get("/")),
        ("leader home", lambda: lclient.get("/")),
    ]

    with override_settings(DEBUG=False, ROOT_URLCONF="monitoring_bench_urls"):
        assert floor_page().status_code == 200
        results["(floor)"] = {"page": timed(floor_page, repeat), "selector": (0.0, 0.0), "sql": (0.0, 0.0)}
        for name, page, sel, sql in (("board", board_page, board_selector, board_sql),
                                     ("overdue list", overdue_page, overdue_selector, overdue_sql),
                                     ("case detail", detail_page, detail_selector, detail_sql),
                                     ("province board", province_board_page, province_board_selector,
                                      province_board_sql)):
            assert page().status_code == 200, name
            results[name] = {"page": timed(page, repeat), "selector": timed(sel, repeat), "sql": timed(sql, repeat),
                             "queries": count_queries(page)}
        for name, page in flat_pages:
            assert page().status_code == 200, name
            results[name] = {"page": timed(page, repeat), "selector": (0.0, 0.0), "sql": (0.0, 0.0),
                             "queries": count_queries(page)}
    return results


def province_user():
    """The province's supervisor (司法厅 supervision at the province root), created once."""
    from yifa.orgs import services
    from yifa.orgs.models import Organization, Role, User

    user = User.objects.filter(username="bench_province").first()
    if user is None:
        user = services.create_user(actor=None, username="bench_province", display_name="省级监督",
                                    org=Organization.objects.get(code="SF"), roles=[Role.SUPERVISOR],
                                    password="Qz7!kLm2#Tr9")
    return user


def count_queries(fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as q:
        fn()
    return len(q)


def install_floor_urlconf():
    """A urlconf module with the project's URLs plus one empty logged-in page (the floor)."""
    import types

    from django.contrib.auth.decorators import login_required
    from django.shortcuts import render
    from django.urls import path

    import yifa.urls

    @login_required
    def floor(request):
        return render(request, "base.html", {"title": "floor"})

    mod = types.ModuleType("monitoring_bench_urls")
    mod.urlpatterns = [path("__bench_floor/", floor), *yifa.urls.urlpatterns]
    for attr in ("handler403", "handler404", "handler500"):
        if hasattr(yifa.urls, attr):
            setattr(mod, attr, getattr(yifa.urls, attr))
    sys.modules["monitoring_bench_urls"] = mod


def report(n, results):
    print(f"\nN = {n:,}   (ms: p50 / p95)")
    print(f"{'':14} {'page':>17} {'selector (ORM)':>17} {'bare SQL':>17} {'page/SQL p95':>13} {'sel/SQL p95':>12}"
          f" {'(page-floor)/SQL':>17} {'queries':>8}")
    floor = results.get("(floor)", {}).get("page", (0.0, 0.0))[1]
    for name, r in results.items():
        p, s, q = r["page"], r["selector"], r["sql"]
        if name == "(floor)":
            print(f"{name:15} {p[0]:8.2f}/{p[1]:7.2f}   (a logged-in page that reads nothing)")
            continue
        if not q[1]:
            print(f"{name:15} {p[0]:8.2f}/{p[1]:7.2f} {'(target: flat, see the scaling lines)':>67} "
                  f"{r.get('queries', 0):8d}")
            continue
        print(f"{name:15} {p[0]:8.2f}/{p[1]:7.2f} {s[0]:8.2f}/{s[1]:7.2f} {q[0]:8.2f}/{q[1]:7.2f} "
              f"{p[1] / max(q[1], 1e-6):12.1f}x {s[1] / max(q[1], 1e-6):11.1f}x "
              f"{max(p[1] - floor, 0) / max(q[1], 1e-6):16.1f}x {r.get('queries', 0):8d}")


def settle_build():
    """What the build wrote counts as saved before the sweep's last pass (a day ago), not as
    today's edits: the steady passes measured after it then see a day's changes, as in
    production, not the million cases the build stamped "today"."""
    from django.utils import timezone

    from yifa.enforcement.models import Case

    day_ago = timezone.now() - timedelta(days=1)
    Case.objects.filter(updated_at__gte=day_ago).update(updated_at=day_ago)


def rollups(today, changed=500):
    """The sweep's dashboard rollups: a full rebuild of the trailing 24 months against the
    pass between full passes after `changed` cases were saved (a day's edits)."""
    import random

    from django.utils import timezone

    from yifa.enforcement.models import Case
    from yifa.reports.services import SWEEP_MONTHS, add_months, month_start, rebuild_rollups, sweep_rollups

    since = add_months(month_start(today), -(SWEEP_MONTHS - 1))
    settle_build()
    rebuild_rollups(since=since, today=today)  # warm: the rollup rows exist
    t = time.perf_counter()
    rebuild_rollups(since=since, today=today)
    full = time.perf_counter() - t
    # a day's edits land on recent work: cases filed in the last three months
    ids = list(Case.objects.filter(filed_on__gte=today - timedelta(days=90)).values_list("pk", flat=True))
    Case.objects.filter(pk__in=random.Random(1).sample(ids, min(changed, len(ids)))).update(updated_at=timezone.now())
    t = time.perf_counter()
    sweep_rollups(today)
    incr = time.perf_counter() - t
    print(f"rollups: full rebuild of {SWEEP_MONTHS} months {full * 1000:9.1f} ms; sweep pass after {changed} "
          f"cases saved {incr * 1000:9.1f} ms ({full / max(incr, 1e-9):.1f}x less)")
    return {"full_ms": full * 1000, "incremental_ms": incr * 1000}


def run_size(n, repeat, today, extra=()):
    """Build and measure one size in a fresh process-local database."""
    import subprocess

    out = subprocess.run([sys.executable, __file__, "--child", "--n", str(n), "--repeat", str(repeat), *extra],
                         capture_output=True, text=True, check=False)
    sys.stdout.write(out.stdout)
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(out.returncode)
    import json

    line = [x for x in out.stdout.splitlines() if x.startswith("JSON ")][-1]
    return json.loads(line[5:])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--single", action="store_true", help="one size only (N), in this process")
    ap.add_argument("--reuse", action="store_true",
                    help="PostgreSQL: keep the database built by an earlier run (only migrate and ANALYZE)")
    ap.add_argument("--counties", type=int, default=1,
                    help="PostgreSQL: clone the demo county into a province of this many counties (100: 8,600 "
                         "units, 23,700 officers)")
    ap.add_argument("--build-only", action="store_true", help="build the database and stop")
    ap.add_argument("--no-pages", action="store_true", help="skip the page measurements")
    ap.add_argument("--rollups", action="store_true",
                    help="also time the sweep's rollup pass: full rebuild vs the pass after a day's edits")
    ap.add_argument("--rules", action="store_true",
                    help="also time every online rule and sweep step against its bare SQL (EXPLAIN of the slowest three)")
    args = ap.parse_args()
    today = date.today()
    if args.single:
        args.child = True
    if args.child:
        import json

        var_dir = tempfile.mkdtemp(prefix="yifa-bench-")
        setup_django(var_dir)
        install_floor_urlconf()
        from django.utils import timezone

        today = timezone.localdate()
        print(f"building N = {args.n:,} in {os.environ.get('DATABASE_URL') and 'PostgreSQL' or var_dir}")
        if args.reuse:
            reuse(today)
        else:
            build(args.n, today, counties=args.counties)
        if args.build_only:
            return
        results = {} if args.no_pages else measure(args.n, args.repeat, today)
        if results:
            report(args.n, results)
        if args.rules:
            import bench_rules

            settle_build()
            bench_rules.run(today, args.repeat)
        if args.rollups:
            rollups(today)
        print("JSON " + json.dumps(results))
        return
    extra = ["--counties", str(args.counties)] + [f"--{k}" for k in ("rollups", "rules") if getattr(args, k)]
    small = run_size(max(1000, args.n // 10), args.repeat, today, extra)
    big = run_size(args.n, args.repeat, today, extra)
    print(f"\nScaling: page p95 at N = {args.n:,} vs N/10 = {max(1000, args.n // 10):,}")
    for name in big:
        if name == "(floor)":
            continue
        b, s = big[name]["page"][1], small[name]["page"][1]
        print(f"  {name:15} {b:8.2f} ms vs {s:8.2f} ms  → {b / max(s, 1e-6):.2f}x (target ≤ 1.5x), "
              f"queries {big[name].get('queries', 0)} vs {small[name].get('queries', 0)}")


if __name__ == "__main__":
    main()
