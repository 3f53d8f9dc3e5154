"""Benchmark of the enforcement case import (issue 14, deliverable 3).

(a) PostgreSQL: rows/s of importing an N-row case file (default 100,000) through
    `imports.import_file` — parse, whole-file checks, staging, switch — against `COPY` of
    the same rows straight into the cases table (no checks, numbers, deadlines or audit).
    Target: ≥ 30% of COPY.
(b) SQLite (a file database in WAL mode, as `make demo` runs it): p95 latency of another
    user's logged-in page (`/enforcement/`, the case list, by a thread with Django's test
    client) while a separate process (as `yifa worker` would) imports an M-row file
    (default 15,000), against the same page with no import running. Target: ≤ 2× and no
    error.

    .venv/bin/python bench/import.py                                  # (b) only
    DATABASE_URL=postgres://postgres@127.0.0.1:55432/yifa .venv/bin/python bench/import.py
    … bench/import.py --n 20000 --m 15000 --part both                 # both, smaller (a)

With DATABASE_URL set both parts run (the given database is dropped and rebuilt: use a
throwaway one); `--part pg` or `--part sqlite` runs one. Each part runs in its own process.
"""

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

HEADERS = ["来源案号", "办案单位代码", "事项编码", "案件类型", "程序", "立案日期", "案由", "当事人", "当事人类型",
           "证件号码", "罚款金额", "执法证号"]
PAGE = "/enforcement/"


def percentile(xs, p):
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, round(p / 100 * (len(xs) - 1))))
    return xs[k]


def setup_django(var_dir):
    os.environ["YIFA_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yifa.settings")
    os.environ.setdefault("YIFA_LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]


def build_base(progress=print):
    """A fresh schema with the demo county, its accounts and base libraries (and the demo's
    few cases), as `make demo` has them."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from yifa.enforcement import demo as enf_demo
    from yifa.orgs import demo as orgs_demo

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)
    from django.utils import timezone

    ctx = {}
    with transaction.atomic():
        orgs_demo.load(ctx, lambda m: None)
        enf_demo.build(ctx, lambda m: None, today=timezone.localdate(), per_day=0.05)
    progress("  base: demo county, accounts, libraries")
    return ctx


def make_rows(n, tag, today):
    """n realistic case rows over the county's units, items and officers (unit's own)."""
    import random

    from yifa.enforcement.models import EnforcementItem, Officer
    from yifa.orgs.models import Organization

    rng = random.Random(14)
    units = list(Organization.objects.filter(code__regex=r"^QH-(D|T)-[a-z]+$").values_list("pk", "code"))
    items = list(EnforcementItem.objects.filter(category="penalty").values_list("code", flat=True))
    certs = {}
    for org_id, cert in Officer.objects.filter(status="active").values_list("org_id", "certificate_no"):
        certs.setdefault(org_id, []).append(cert)
    rows = []
    for k in range(n):
        org_id, code = rng.choice(units)
        pool = certs.get(org_id, [])
        officers = ",".join(rng.sample(pool, 2)) if len(pool) >= 2 else ",".join(pool)
        filed = today - timedelta(days=rng.randrange(0, 60))
        rows.append([f"{tag}-{k:07d}", code, rng.choice(items), "行政处罚", "普通程序", filed.isoformat(),
                     f"基准导入案件{k}", f"当事人{k}", "自然人", f"1101011990{k % 100000:05d}123X"[:18],
                     str(rng.randrange(1, 500) * 100), officers])
    return rows


def write_csv(rows, path):
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADERS)
        w.writerows(rows)


class _File:
    def __init__(self, path):
        self.name = os.path.basename(path)
        self._f = open(path, "rb")  # noqa: SIM115

    def __getattr__(self, name):
        return getattr(self._f, name)


def run_import(path, *, username="admin", source="bench-import"):
    """Import the file as the county's administrator; returns (seconds, batch, phases)."""
    from yifa.enforcement import imports
    from yifa.orgs.models import User

    phases = {}

    def timed(name, fn):
        def wrapper(*a, **kw):
            t = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                phases[name] = phases.get(name, 0) + time.perf_counter() - t
        return wrapper

    imports.stage_cases = timed("stage", imports.stage_cases)
    imports.switch_in = timed("switch", imports.switch_in)
    imports.check_cases = timed("check", imports.check_cases)
    imports.plan_cases = timed("plan", imports.plan_cases)
    actor = User.objects.get(username=username)
    t = time.perf_counter()
    batch = imports.import_file(actor=actor, kind="cases", source_system=source, upload=_File(path))
    return time.perf_counter() - t, batch, phases


# --- (a) PostgreSQL: import vs COPY -------------------------------------------------------------

def copy_rows(rows, today):
    """COPY the same rows into the cases table (what the import fills in, minus the checks,
    numbering, deadlines, officers and audit); returns seconds for the COPY statement and its
    commit. The copied rows are deleted again afterwards."""
    from django.db import connection, transaction
    from django.utils import timezone

    from yifa.enforcement.models import Case, EnforcementItem
    from yifa.orgs.models import Organization

    orgs = dict(Organization.objects.values_list("code", "pk"))
    items = dict(EnforcementItem.objects.values_list("code", "pk"))
    now = timezone.now()
    fields = [f for f in Case._meta.concrete_fields if not f.primary_key]
    buf = io.StringIO()
    w = csv.writer(buf)
    for k, r in enumerate(rows):
        values = {"org_id": orgs[r[1]], "item_id": items[r[2]], "case_type": "penalty", "procedure": "general",
                  "filed_on": r[5], "title": r[6], "party_name": r[7], "party_kind": "individual",
                  "party_id_no": r[9], "amount": r[10], "case_no": f"COPY〔2026〕{k:05d}号", "source_case_no": r[0], "source_system": "bench-copy",
                  "created_at": now.isoformat(), "updated_at": now.isoformat()}
        out = []
        for f in fields:
            v = values[f.attname] if f.attname in values else f.get_default()
            out.append("\\N" if v is None else ("t" if v is True else "f" if v is False else v))
        w.writerow(out)
    data = buf.getvalue()
    cols = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(Case._meta.db_table)
    t = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        with cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN WITH (FORMAT csv, NULL '\\N')") as copy:
            copy.write(data)
    seconds = time.perf_counter() - t
    with transaction.atomic():
        Case.objects.filter(source_system="bench-copy").delete()
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE enforcement_case")
    return seconds


def copy_floor(source_system):
    """The floor of any import that writes what this one writes: `COPY` of every row the
    import wrote — its cases, their officer links, their deadlines and their audit rows (read
    back with `COPY … TO`, given fresh ids, 案号, source numbers and hashes) — into the same
    tables, in one transaction, with the deferred foreign-key checks run (`SET CONSTRAINTS ALL
    IMMEDIATE`), then rolled back. Returns (seconds, rows written)."""
    from django.db import connection, transaction

    from yifa.audit.models import AuditEvent
    from yifa.deadlines.models import TrackedDeadline
    from yifa.enforcement.models import Case

    qn = connection.ops.quote_name
    through = Case.officers.through

    def cols(model, skip=("id",)):
        return [f.column for f in model._meta.concrete_fields if f.column not in skip]

    with connection.cursor() as cur:
        cur.execute(f"SELECT min(id), max(id) FROM {qn(Case._meta.db_table)} WHERE source_system = %s", [source_system])
        lo, hi = cur.fetchone()
        cur.execute(f"SELECT max(id) FROM {qn(Case._meta.db_table)}")
        off = cur.fetchone()[0] + 1_000_000
    case_cols = cols(Case, skip=())
    sel = {c: c for c in case_cols}
    sel.update({"id": f"id + {off}", "case_no": "case_no || 'F'", "source_system": "'bench-floor'"})
    ids = f"BETWEEN {lo} AND {hi}"
    queries = [
        (Case, case_cols, f"SELECT {', '.join(sel[c] for c in case_cols)} FROM {qn(Case._meta.db_table)} "
                          f"WHERE source_system = '{source_system}'"),
        (through, ["case_id", "officer_id"],
         f"SELECT case_id + {off}, officer_id FROM {qn(through._meta.db_table)} WHERE case_id {ids}"),
    ]
    d_cols = cols(TrackedDeadline)
    d_sel = {c: c for c in d_cols}
    d_sel["owner_id"] = f"(owner_id::bigint + {off})::text"
    queries.append((TrackedDeadline, d_cols, f"SELECT {', '.join(d_sel[c] for c in d_cols)} FROM "
                    f"{qn(TrackedDeadline._meta.db_table)} WHERE owner_type = 'enforcement.case' "
                    f"AND owner_id ~ '^[0-9]+$' AND owner_id::bigint {ids}"))
    a_cols = cols(AuditEvent)
    a_sel = {c: c for c in a_cols}
    a_sel.update({"object_id": f"(object_id::bigint + {off})::text", "hash": "md5(hash) || md5(hash || 'F')"})
    queries.append((AuditEvent, a_cols, f"SELECT {', '.join(a_sel[c] for c in a_cols)} FROM "
                    f"{qn(AuditEvent._meta.db_table)} WHERE object_type = 'enforcement.case' AND action = 'case.file' "
                    f"AND object_id ~ '^[0-9]+$' AND object_id::bigint {ids}"))
    dumps = []
    with connection.cursor() as cur:
        for model, columns, query in queries:
            buf = bytearray()
            with cur.cursor.copy(f"COPY ({query}) TO STDOUT") as copy:
                for chunk in copy:
                    buf += chunk
            dumps.append((model, columns, bytes(buf), buf.count(b"\n")))
    rows = sum(d[3] for d in dumps)
    try:
        with transaction.atomic(), connection.cursor() as cur:
            t = time.perf_counter()
            for model, columns, data, _n in dumps:
                with cur.cursor.copy(f"COPY {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "
                                     "FROM STDIN") as copy:
                    copy.write(data)
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            seconds = time.perf_counter() - t
            raise _Undo
    except _Undo:
        pass
    return seconds, rows, {d[0]._meta.db_table: d[3] for d in dumps}


def service_path_rate(rows, k=300):
    """rows/s of the old way, for comparison on the same machine: `services.file_case` per
    row (checks, number, deadline, audit row, rollup) for k rows in one transaction,
    rolled back."""
    from datetime import date as _date

    from django.db import transaction

    from yifa.enforcement import services
    from yifa.enforcement.models import EnforcementItem, Officer
    from yifa.orgs.models import Organization, User

    actor = User.objects.get(username="admin")
    orgs = Organization.objects.in_bulk(field_name="code")
    items = EnforcementItem.objects.in_bulk(field_name="code")
    officers = Officer.objects.in_bulk(field_name="certificate_no")
    t = time.perf_counter()
    try:
        with transaction.atomic():
            for r in rows[:k]:
                services.file_case(actor=actor, org=orgs[r[1]], item=items[r[2]], filed_on=_date.fromisoformat(r[5]),
                                   title=r[6], party_name=r[7], source_system="bench-service", source_case_no=r[0],
                                   officers=[officers[c] for c in r[11].split(",") if c])
            seconds = time.perf_counter() - t
            raise _Undo
    except _Undo:
        pass
    return k / seconds


class _Undo(Exception):
    pass


def part_pg(n):
    from django.db import connection
    from django.utils import timezone

    assert connection.vendor == "postgresql", "part (a) needs DATABASE_URL pointing at PostgreSQL"
    today = timezone.localdate()
    print(f"(a) PostgreSQL {connection.pg_version // 10000}: building, {n:,} rows")
    build_base()
    rows = make_rows(n, "PG", today)
    path = os.path.join(tempfile.mkdtemp(prefix="yifa-bench-import-"), "cases.csv")
    write_csv(rows, path)
    copy_s = copy_rows(rows, today)
    legacy = service_path_rate(rows)
    seconds, batch, phases = run_import(path)
    assert batch.state == "done" and batch.created == n, (batch.state, batch.errors[:3])
    floor_s, floor_rows, floor_tables = copy_floor("bench-import")
    rate, copy_rate = n / seconds, n / copy_s
    print(f"  COPY of the same rows into the cases table: {copy_s:8.2f} s  {copy_rate:10,.0f} rows/s")
    print(f"  import (file → cases, deadlines, audit):    {seconds:8.2f} s  {rate:10,.0f} rows/s")
    print("  phases: " + ", ".join(f"{k} {v:.2f} s" for k, v in phases.items())
          + f", parse+validate {seconds - sum(phases.values()):.2f} s")
    print(f"  per-row service path (file_case, 300 rows):        {legacy:10,.0f} rows/s")
    print(f"  COPY of every row the import writes ({floor_rows:,} rows: "
          + ", ".join(f"{t} {k:,}" for t, k in floor_tables.items()) + f"), FK checks: {floor_s:8.2f} s  "
          f"{n / floor_s:10,.0f} cases/s")
    print(f"  → import at {100 * rate / copy_rate:.1f}% of COPY of the cases (target ≥ 30%), "
          f"{100 * floor_s / seconds:.1f}% of COPY of everything it writes, "
          f"{rate / legacy:.1f}x the per-row path")
    return {"n": n, "import_s": seconds, "copy_s": copy_s, "rate": rate, "copy_rate": copy_rate,
            "ratio": rate / copy_rate, "floor_s": floor_s, "floor_ratio": floor_s / seconds, "phases": phases, "legacy_rate": legacy}


# --- (b) SQLite: other users' pages during an import ---------------------------------------------

def _reader(stop, samples, errors, username="supervisor", limit=None):
    from django.test import Client

    from yifa.orgs.models import User

    c = Client()
    c.force_login(User.objects.get(username=username))
    n = 0
    while not stop.is_set() and (limit is None or n < limit):
        t = time.perf_counter()
        try:
            r = c.get(PAGE)
            if r.status_code != 200:
                errors.append(r.status_code)
        except Exception as exc:  # noqa: BLE001 — every failure counts as an error
            errors.append(repr(exc))
        samples.append((time.perf_counter() - t) * 1000)
        n += 1
    from django.db import connection

    connection.close()


def part_sqlite(m, var_dir):
    from django.db import connection
    from django.utils import timezone

    assert connection.vendor == "sqlite"
    print(f"(b) SQLite file database in {var_dir}: {m:,}-row import by another process")
    build_base()
    path = os.path.join(var_dir, "cases.csv")
    write_csv(make_rows(m, "SQ", timezone.localdate()), path)
    connection.close()
    base, base_err = [], []
    _reader(threading.Event(), base, base_err, limit=20)  # warm-up
    base, base_err = [], []
    _reader(threading.Event(), base, base_err, limit=150)
    stop, during, during_err = threading.Event(), [], []
    env = {**os.environ, "YIFA_VAR_DIR": var_dir}
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, __file__, "--child", "import", "--file", path], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    th = threading.Thread(target=_reader, args=(stop, during, during_err))
    th.start()
    out, err = proc.communicate()
    stop.set()
    th.join()
    if proc.returncode != 0:
        sys.stderr.write(err)
        raise SystemExit(proc.returncode)
    result = json.loads([x for x in out.splitlines() if x.startswith("JSON ")][-1][5:])
    p95_base, p95_during = percentile(base, 95), percentile(during, 95)
    print(f"  import: {result['seconds']:.1f} s, {m / result['seconds']:,.0f} rows/s, state {result['state']}, "
          f"phases " + ", ".join(f"{k} {v:.2f} s" for k, v in result["phases"].items()))
    print(f"  {PAGE} without import: {len(base)} requests, p50 {percentile(base, 50):.1f} ms, "
          f"p95 {p95_base:.1f} ms, errors {len(base_err)}")
    print(f"  {PAGE} during import:  {len(during)} requests, p50 {percentile(during, 50):.1f} ms, "
          f"p95 {p95_during:.1f} ms, max {max(during):.1f} ms, errors {len(during_err)}")
    print(f"  → p95 during / without: {p95_during / p95_base:.2f}x (target ≤ 2x), errors {len(during_err)} "
          f"(target 0)")
    return {"m": m, "p95_base": p95_base, "p95_during": p95_during, "ratio": p95_during / p95_base,
            "errors": len(during_err) + len(base_err), "import_s": result["seconds"], "requests": len(during)}


def child_import(path):
    seconds, batch, phases = run_import(path)
    print("JSON " + json.dumps({"seconds": seconds, "state": batch.state, "created": batch.created,
                                "phases": phases, "errors": batch.errors[:3]}))


def run_child(args, env):
    out = subprocess.run([sys.executable, __file__, *args], env=env, capture_output=True, text=True, check=False)
    sys.stdout.write("\n".join(x for x in out.stdout.splitlines() if not x.startswith("JSON ")) + "\n")
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(out.returncode)
    return json.loads([x for x in out.stdout.splitlines() if x.startswith("JSON ")][-1][5:])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000, help="rows of the PostgreSQL file (a)")
    ap.add_argument("--m", type=int, default=15_000, help="rows of the SQLite import (b)")
    ap.add_argument("--part", choices=("pg", "sqlite", "both"), default=None)
    ap.add_argument("--child", choices=("pg", "sqlite", "import"), help=argparse.SUPPRESS)
    ap.add_argument("--file", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        var_dir = os.environ.get("YIFA_VAR_DIR") if args.child == "import" else tempfile.mkdtemp(prefix="yifa-bench-")
        setup_django(var_dir)
        if args.child == "import":
            child_import(args.file)
        elif args.child == "pg":
            print("JSON " + json.dumps(part_pg(args.n)))
        else:
            print("JSON " + json.dumps(part_sqlite(args.m, var_dir)))
        return
    part = args.part or ("both" if os.environ.get("DATABASE_URL") else "sqlite")
    results = {}
    if part in ("pg", "both"):
        results["pg"] = run_child(["--child", "pg", "--n", str(args.n)], dict(os.environ))
    if part in ("sqlite", "both"):
        env = dict(os.environ)
        env.pop("DATABASE_URL", None)
        results["sqlite"] = run_child(["--child", "sqlite", "--m", str(args.m)], env)
    print("\nSummary")
    if "pg" in results:
        r = results["pg"]
        print(f"  (a) import {r['rate']:,.0f} rows/s vs COPY {r['copy_rate']:,.0f} rows/s ({r['n']:,} rows): "
              f"{100 * r['ratio']:.1f}% (target ≥ 30%); {100 * r['floor_ratio']:.1f}% of COPY of every row it "
              f"writes; per-row service path {r['legacy_rate']:,.0f} rows/s")
    if "sqlite" in results:
        r = results["sqlite"]
        print(f"  (b) page p95 {r['p95_during']:.1f} ms during a {r['m']:,}-row import vs {r['p95_base']:.1f} ms "
              f"without: {r['ratio']:.2f}x (target ≤ 2x), errors {r['errors']} (target 0)")


if __name__ == "__main__":
    main()
