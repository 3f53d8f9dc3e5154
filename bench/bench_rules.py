"""The online rules at scale (issue 14, deliverable 5; issue 18, deliverable 4): each rule as
the sweep runs it vs the bare SQL that finds the same rows, the sweep's supervision pass,
the case list page, and `EXPLAIN (ANALYZE, BUFFERS)` of the slowest three rules (these on
PostgreSQL: the hand-written SQL is PostgreSQL's); then, on any database, the whole rule
set (`run_rules`, inserting every clue) against the sum of each rule's bare query (its
compiled SQL executed raw), and their ratio. Called by `monitoring.py --rules`.

Works with older code too (YIFA_BENCH_SRC): without `services.rule_cases` every rule is run
in full, as that code's sweep did."""

import time
from datetime import timedelta

TIMEOUT_MS = 120_000

# bare SQL per rule: the same rows, written by hand ({since}: the changed-only filter)
FINE = "c.case_type = 'penalty' AND c.sanction = 'fine'"
BARE = {
    "deadline.overdue": "SELECT c.id, c.org_id FROM enforcement_case c WHERE c.id IN (SELECT owner_id::bigint "
                        "FROM deadlines_trackeddeadline WHERE owner_type = 'enforcement.case' "
                        "AND state IN ('open', 'extended') AND due < %(today)s)",
    "officers.two_certified": "SELECT c.id, c.org_id FROM enforcement_case c LEFT JOIN enforcement_case_officers co "
                              "ON co.case_id = c.id LEFT JOIN enforcement_officer o ON o.id = co.officer_id "
                              "WHERE c.decided_on IS NOT NULL {since} GROUP BY c.id HAVING count(DISTINCT o.id) "
                              "FILTER (WHERE o.status = 'active' AND o.valid_from <= c.decided_on AND "
                              "o.valid_to >= c.decided_on) < 2",
    "review.missing": "SELECT c.id, c.org_id FROM enforcement_case c WHERE c.decided_on IS NOT NULL {since} "
                      "AND c.case_type = 'penalty' AND c.procedure = 'general' AND c.legal_review_result <> 'passed' "
                      "AND (c.major_public_interest OR c.hearing_requested OR c.sanction IN ('suspension', "
                      "'revocation') OR c.amount >= 10000)",
    "publicity.late": "SELECT c.id, c.org_id FROM enforcement_case c WHERE c.id IN (SELECT d.owner_id::bigint FROM "
                      "deadlines_trackeddeadline d JOIN deadlines_deadlinerule r ON r.id = d.rule_id WHERE "
                      "d.owner_type = 'enforcement.case' AND r.code IN ('penalty.publicity', 'permit.publicity', "
                      "'enforcement.publicity') AND (d.state = 'missed' OR (d.state IN ('open', 'extended') "
                      "AND d.due < %(today)s)))",
    "officers.certificate_expired": "SELECT DISTINCT c.id, c.org_id FROM enforcement_case c JOIN "
                                    "enforcement_case_officers co ON co.case_id = c.id JOIN enforcement_officer o "
                                    "ON o.id = co.officer_id WHERE TRUE {since} AND (o.valid_to < "
                                    "COALESCE(c.decided_on, c.filed_on) OR o.valid_from > "
                                    "COALESCE(c.decided_on, c.filed_on))",
    "discretion.outside_benchmark": "SELECT c.id, c.org_id FROM enforcement_case c WHERE c.decided_on IS NOT NULL "
                                    "{since} AND c.amount IS NOT NULL AND c.circumstance <> '' AND "
                                    "trim(c.discretion_reason) = '' AND EXISTS (SELECT 1 FROM "
                                    "enforcement_discretionbenchmark b WHERE b.item_id = c.item_id AND b.level = "
                                    "c.circumstance AND (b.min_amount > c.amount OR b.max_amount < c.amount))",
    "records.missing": "SELECT c.id, c.org_id FROM enforcement_case c WHERE (c.decided_on IS NOT NULL OR "
                       "c.closed_on IS NOT NULL OR c.state = 'closed') {since} AND ("
                       "(c.case_type = 'penalty' AND c.procedure = 'general' AND NOT EXISTS (SELECT 1 FROM "
                       "enforcement_processrecord p WHERE p.case_id = c.id AND p.kind = 'document')) OR "
                       "(c.case_type IN ('penalty', 'inspection') AND c.procedure = 'general' AND NOT EXISTS "
                       "(SELECT 1 FROM enforcement_processrecord p WHERE p.case_id = c.id AND p.kind IN "
                       "('photo', 'audio', 'video'))) OR (c.case_type = 'coercion' AND NOT EXISTS (SELECT 1 FROM "
                       "enforcement_processrecord p WHERE p.case_id = c.id AND p.kind IN ('audio', 'video'))))",
    "fines.repeated": f"SELECT f.id, f.org_id FROM (SELECT c.id, c.org_id, COALESCE(NULLIF(c.party_id_no, ''), "
                      f"c.party_name) AS party, count(*) OVER (PARTITION BY c.org_id, COALESCE(NULLIF("
                      f"c.party_id_no, ''), c.party_name)) AS n FROM enforcement_case c WHERE {FINE} AND "
                      f"c.decided_on BETWEEN %(since_day)s AND %(today)s) f WHERE f.n >= 3 AND NOT EXISTS (SELECT 1 "
                      f"FROM enforcement_case i WHERE i.case_type = 'inspection' AND i.org_id = f.org_id AND "
                      f"COALESCE(NULLIF(i.party_id_no, ''), i.party_name) = f.party AND i.filed_on >= %(since_day)s)",
}


def _timed(fn, repeat):
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        n = fn()
        out.append((time.perf_counter() - t) * 1000)
    out.sort()
    return out[len(out) // 2], out[-1], n


def whole_set(today, repeat):
    """The whole rule set as the sweep's full pass runs it (every rule, clues inserted; rolled
    back after each repetition so each inserts them all again) against the sum of each rule's
    bare query: the SQL Django compiles for it, executed raw, rows fetched."""
    from django.db import connection, transaction

    from yifa.supervision import services
    from yifa.supervision.rules import RULES

    def query(code):
        if RULES[code].subjects is not None:
            return services.rule_subjects(code, today)
        return services.unclued_hits_sql(code, today)

    print(f"\nWhole rule set vs the sum of its bare queries ({connection.vendor}; ms, p50 / max of {repeat})")
    print(f"{'rule':30} {'bare query':>20} {'rows':>8}")
    total = 0.0
    for code in RULES:
        q = query(code)
        sql, params = q if isinstance(q, tuple) else q.query.sql_with_params()

        def bare(sql=sql, params=params):
            with connection.cursor() as cur:
                cur.execute(sql, params)
                return len(cur.fetchall())

        p50, worst, rows = _timed(bare, repeat)
        total += p50
        print(f"{code:30} {p50:9.1f}/{worst:9.1f} {rows:>8}")

    def everything():
        with transaction.atomic():
            counts = services.run_rules(today=today)
            transaction.set_rollback(True)
        return sum(counts.values())

    p50, worst, clues = _timed(everything, repeat)
    print(f"{'sum of bare queries':30} {total:9.1f}")
    print(f"{'whole rule set, first pass':30} {p50:9.1f}/{worst:9.1f} {clues:>8} clues inserted")
    print(f"{'ratio first pass / bare':30} {p50 / max(total, 1e-3):9.2f}x")

    # steady state: the clues of the first pass exist, a rerun inserts nothing (the sweep's
    # usual pass); the bare queries again, now excluding the existing clues as run_rules does
    with transaction.atomic():
        services.run_rules(today=today)
        steady_total = 0.0
        for code in RULES:
            q = query(code)
            sql, params = q if isinstance(q, tuple) else q.query.sql_with_params()

            def bare(sql=sql, params=params):
                with connection.cursor() as cur:
                    cur.execute(sql, params)
                    return len(cur.fetchall())

            steady_total += _timed(bare, repeat)[0]
        s50, sworst, again = _timed(lambda: sum(services.run_rules(today=today).values()), repeat)
        transaction.set_rollback(True)
    print(f"{'sum of bare queries (steady)':30} {steady_total:9.1f}")
    print(f"{'whole rule set, steady pass':30} {s50:9.1f}/{sworst:9.1f} {again:>8} clues inserted")
    print(f"{'ratio steady pass / bare':30} {s50 / max(steady_total, 1e-3):9.2f}x (target ≤ 2x)")
    return p50, total


def run(today, repeat):
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        whole_set(today, max(1, min(repeat, 5)))
        return
    from django.test import Client
    from django.utils import timezone

    from yifa.orgs.models import User
    from yifa.supervision import services
    from yifa.supervision.rules import RULES

    repeat = max(1, min(repeat, 3))
    incremental = hasattr(services, "rule_cases")
    # a steady sweep: the previous pass began one interval (10 min) ago, less the overlap
    since = timezone.now() - timedelta(minutes=10) - getattr(services, "RULE_PASS_OVERLAP", timedelta(0))
    with connection.cursor() as cur:
        cur.execute(f"SET statement_timeout = {TIMEOUT_MS}")
    print(f"\nOnline rules ({'changed-only pass since ' + since.isoformat(timespec='minutes') if incremental else 'full pass: this code has no changed-only pass'}; "
          f"statement timeout {TIMEOUT_MS // 1000} s; ms p50 / max of {repeat})")
    print(f"{'rule':30} {'rule (ORM)':>20} {'bare SQL':>20} {'ratio':>7} {'rows':>8}")
    timings = {}
    for code, rule in RULES.items():
        if code not in BARE or getattr(rule, "subjects", None) is not None:
            print(f"{code:30} (no hand-written SQL: see the whole-set table below)")
            continue
        changed = incremental and getattr(rule, "changed_only", False)
        def orm(code=code):
            # the sweep's own query, compiled afresh each time: the rule's hits less the clued cases
            rows_sql, rows_params = services.unclued_hits_sql(code, today, since=since if incremental else None)
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute(rows_sql, rows_params)
                return len(cur.fetchall())

        params = {"today": today, "since_day": today - timedelta(days=365), "since": since, "code": code}
        # the same rows as the sweep's query: what the rule finds, less the cases that already have its clue
        sql = (f"SELECT x.id, x.org_id FROM ({BARE[code].format(since='AND c.updated_at >= %(since)s' if changed else '')}"
               ") x WHERE NOT EXISTS (SELECT 1 FROM supervision_clue k WHERE k.rule_code = %(code)s AND k.case_id = x.id)")

        def bare():
            with connection.cursor() as cur:
                cur.execute(sql, params)
                return len(cur.fetchall())

        try:
            o = _timed(orm, repeat)
        except Exception as exc:  # noqa: BLE001 — a timeout is a result here
            connection.rollback() if connection.in_atomic_block else None
            o = (float(TIMEOUT_MS), float(TIMEOUT_MS), f"> {TIMEOUT_MS // 1000} s ({type(exc).__name__})")
        try:
            b = _timed(bare, repeat)
        except Exception as exc:  # noqa: BLE001
            b = (float(TIMEOUT_MS), float(TIMEOUT_MS), f"({type(exc).__name__})")
        timings[code] = (o, b, services.unclued_hits_sql(code, today, since=since if incremental else None))
        print(f"{code:30} {o[0]:9.1f}/{o[1]:9.1f} {b[0]:9.1f}/{b[1]:9.1f} {o[0] / max(b[0], 1e-3):6.1f}x {o[2]!s:>8}")

    # the sweep's supervision pass (every rule, inserting clues): first pass, then a steady one
    for label in ("sweep supervision pass (first)", "sweep supervision pass (steady)"):
        t = time.perf_counter()
        try:
            counts = (services.run_rules(today=today, incremental=True) if incremental
                      else services.run_rules(today=today))
        except Exception as exc:  # noqa: BLE001
            counts = f"failed: {type(exc).__name__}"
        print(f"{label:30} {(time.perf_counter() - t) * 1000:10.0f} ms  {counts}")

    # the case list, first page, as the county supervisor
    client = Client()
    client.force_login(User.objects.get(username="supervisor"))
    page = lambda: client.get("/enforcement/")  # noqa: E731
    assert page().status_code == 200
    p50, worst, _ = _timed(lambda: page().status_code, 10)
    print(f"{'case list /enforcement/':30} {p50:9.1f}/{worst:9.1f} ms (p50 / max of 10)")

    slow = sorted(timings.items(), key=lambda kv: -kv[1][0][0])[:3]
    for code, (_o, _b, (rows_sql, rows_params)) in slow:
        print(f"\nEXPLAIN (ANALYZE, BUFFERS) {code}:")
        try:
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute(f"EXPLAIN (ANALYZE, BUFFERS) {rows_sql}", rows_params)
                print("\n".join(r[0] for r in cur.fetchall()))
        except Exception as exc:  # noqa: BLE001
            print(f"  ({type(exc).__name__}: {exc})"[:300])
    whole_set(today, repeat)
