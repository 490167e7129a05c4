#!/usr/bin/env bash
# Load test: gunicorn + PostgreSQL + Redis on this machine, locust driving a mix of officers,
# supervisors and citizens, stepped up through levels of users (benchmarks/load/steps.py).
#   benchmarks/load/run.sh [communes] [years] [levels...]
#   LOAD_DB=thiduaweb_bench_nat REUSE_DB=1 benchmarks/load/run.sh 3321 10 100 200 300
# REUSE_DB=1 keeps a database already loaded with `seed-scale` (e.g. by dashboard_bench.py) and only
# upgrades it; otherwise the database is dropped and loaded afresh.
set -euo pipefail
cd "$(dirname "$0")/../.."
COMMUNES=${1:-100}; YEARS=${2:-3}; shift 2 2>/dev/null || shift $#
LEVELS=${*:-50 100 200 300}
DB=${LOAD_DB:-thiduaweb_load}
WORKERS=${GUNICORN_WORKERS:-4}; THREADS=${GUNICORN_THREADS:-1}; SECONDS_=${LOAD_SECONDS:-60}
export THIDUAWEB_ENV=production SECRET_KEY=load-test-secret REDIS_URL=redis://127.0.0.1:6379/14
export DATABASE_URL=postgresql://postgres@127.0.0.1:5432/$DB
# Every simulated user comes from 127.0.0.1: per-address limits would measure the limiter, not the app.
export THIDUAWEB_LOGIN_RATE_LIMIT="100000 per minute" THIDUAWEB_RATELIMIT_ENABLED=false
export THIDUAWEB_SESSION_COOKIE_SECURE=false

make setup >/dev/null
.venv/bin/python -m pip install --quiet "locust==2.47.0"
if [ "${REUSE_DB:-0}" = 1 ] && psql -h 127.0.0.1 -U postgres -lqt | cut -d'|' -f1 | grep -qw "$DB"; then
  .venv/bin/flask --app app db upgrade >/dev/null
else
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
  .venv/bin/flask --app app db upgrade >/dev/null
  echo "== seed-scale: $COMMUNES xã × $YEARS năm =="
  /usr/bin/time -f "%e s, %M KB" .venv/bin/flask --app app seed-scale --communes "$COMMUNES" --years "$YEARS"
fi

.venv/bin/gunicorn --workers "$WORKERS" --threads "$THREADS" --bind 127.0.0.1:8077 --log-level warning app:app &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null' EXIT
sleep 3
echo "== gunicorn $WORKERS worker × $THREADS luồng; $SECONDS_ s mỗi mức, sau khi đủ người dùng =="
# shellcheck disable=SC2086
.venv/bin/python benchmarks/load/steps.py --host http://127.0.0.1:8077 --communes "$COMMUNES" \
  --seconds "$SECONDS_" --levels $LEVELS
