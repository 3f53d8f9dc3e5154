#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what the tests need (as root also
# Debian's postgresql, chromium and fonts-noto-cjk), starts a throwaway PostgreSQL on
# 127.0.0.1, runs the suite on SQLite and on PostgreSQL (browser tests included) and
# stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PYTHON=${PYTHON:-python3}

bash scripts/system-deps.sh chromium postgresql fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
fi
echo "== installing Python packages"
.venv/bin/python -m pip install -q -c constraints.txt -e '.[test]'

# --- throwaway PostgreSQL -------------------------------------------------------------
INITDB=$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
PGBIN=$(dirname "$INITDB")
PGDIR=$(mktemp -d /tmp/yifa-pg.XXXXXX)
PGPORT=${YIFA_TEST_PGPORT:-54329}
RUNAS=()
if [ "$(id -u)" = "0" ]; then
  chown postgres:postgres "$PGDIR"
  RUNAS=(runuser -u postgres --)
fi
stop_pg() {
  "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$PGDIR"
}
trap stop_pg EXIT
"${RUNAS[@]}" "$INITDB" -D "$PGDIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
  -o "-h 127.0.0.1 -p $PGPORT -k $PGDIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
echo "== PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGPORT"

status=0
echo "== test suite on SQLite"
env -u DATABASE_URL .venv/bin/python -m pytest "$@" || status=$?
echo "== test suite on PostgreSQL"
DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/yifa" .venv/bin/python -m pytest "$@" || status=$?

# --- the calendar's hard days: the suite must pass on any date ---------------------------------
# The deadline, supervision and accountability tests again with the clock set to 31 December
# of the last year the holiday table ships complete, and to 1 March of the year after it
# (a year without a notice yet). Browser tests are left out: Chromium keeps the real clock,
# so session cookies set at a travelled date would be judged against the real one.
if [ $# -eq 0 ]; then
  LAST=$(.venv/bin/python -c "import importlib; print(importlib.import_module('yifa.deadlines.migrations.0002_seed_holidays').LAST_YEAR)")
  for DAY in "$LAST-12-31" "$((LAST + 1))-03-01"; do
    echo "== deadline, supervision and accountability tests with the clock at $DAY (SQLite)"
    env -u DATABASE_URL YIFA_TEST_TODAY="$DAY" .venv/bin/python -m pytest -m "not browser" \
      tests/deadlines tests/supervision tests/accountability tests/complaints || status=$?
  done
fi
exit $status
