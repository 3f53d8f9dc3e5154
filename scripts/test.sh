#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what the tests need (as root also
# Debian's postgresql, chromium and fonts-noto-cjk), starts a throwaway PostgreSQL on
# 127.0.0.1, runs the suite on SQLite and on PostgreSQL (browser tests included) and
# stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PYTHON=${PYTHON:-python3}

bash scripts/system-deps.sh chromium postgresql fonts-noto-cjk fonts-arphic-ukai libpango-1.0-0 libpangoft2-1.0-0

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

# --- the suites ----------------------------------------------------------------------------
# SQLite and PostgreSQL run side by side (one core each); the SQLite line then goes on to the
# frozen-calendar runs below. Each line's output is prefixed with its name.
run_sqlite() {
  local rc=0
  echo "== test suite on SQLite"
  env -u DATABASE_URL .venv/bin/python -m pytest "$@" || rc=$?
  # The calendar's hard days: the suite must pass on any date. The deadline, supervision,
  # accountability and complaint tests again with the clock set to 31 December of the last
  # year the holiday table ships complete, and to 1 March of the year after it (a year
  # without a notice yet). Browser tests are left out: Chromium keeps the real clock, so
  # session cookies set at a travelled date would be judged against the real one.
  if [ $# -eq 0 ]; then
    local last
    last=$(.venv/bin/python -c "import importlib; print(importlib.import_module('yifa.deadlines.migrations.0002_seed_holidays').LAST_YEAR)")
    for day in "$last-12-31" "$((last + 1))-03-01"; do
      echo "== deadline, supervision, accountability and complaint tests with the clock at $day (SQLite)"
      env -u DATABASE_URL YIFA_TEST_TODAY="$day" .venv/bin/python -m pytest \
        -m "not browser" tests/deadlines tests/supervision tests/accountability tests/complaints || rc=$?
    done
  fi
  return $rc
}
run_postgres() {
  echo "== test suite on PostgreSQL"
  # The page crawls (wording, accessibility, phone layout over every page as every role) do
  # not depend on the database: they run on the SQLite line only.
  local args=("$@")
  [ $# -eq 0 ] && args=(-m "not pages")
  DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/yifa" .venv/bin/python -m pytest "${args[@]}"
}

started=$(date +%s)
LOGDIR=$(mktemp -d /tmp/yifa-test-logs.XXXXXX)
( run_sqlite "$@" 2>&1 | sed -u 's/^/[sqlite] /' | tee "$LOGDIR/sqlite.log"; exit "${PIPESTATUS[0]}" ) &
sqlite_pid=$!
( run_postgres "$@" 2>&1 | sed -u 's/^/[postgres] /' | tee "$LOGDIR/postgres.log"; exit "${PIPESTATUS[0]}" ) &
postgres_pid=$!

status=0
wait "$sqlite_pid" || { status=$?; echo "== SQLite line FAILED (exit $status)"; }
wait "$postgres_pid" || { rc=$?; status=$rc; echo "== PostgreSQL line FAILED (exit $rc)"; }
# Only the tail of a long log is usually read: repeat every failing test and each run's
# result line at the very end.
echo "== summary"
grep -hE '^\[(sqlite|postgres)\] (FAILED|ERROR) |^\[(sqlite|postgres)\] =* ?[0-9]+ (passed|failed)|^\[(sqlite|postgres)\] [0-9]+ (passed|failed)|^\[(sqlite|postgres)\] == ' \
  "$LOGDIR/sqlite.log" "$LOGDIR/postgres.log" | cut -c1-240 || true
rm -rf "$LOGDIR"
echo "== both lines finished in $(( $(date +%s) - started )) s; exit $status"
exit $status
