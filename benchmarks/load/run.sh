#!/usr/bin/env bash
# Load test: gunicorn + PostgreSQL + Redis on this machine, locust driving a mix of officers,
# supervisors and citizens. Prints requests per second and latency percentiles per page group.
#   benchmarks/load/run.sh [communes] [years] [users] [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
COMMUNES=${1:-100}; YEARS=${2:-3}; USERS=${3:-60}; SECONDS_=${4:-60}
DB=thiduaweb_load
export THIDUAWEB_ENV=production SECRET_KEY=load-test-secret REDIS_URL=redis://127.0.0.1:6379/14
export DATABASE_URL=postgresql://postgres@127.0.0.1:5432/$DB
# Every simulated user comes from 127.0.0.1: per-address limits would measure the limiter, not the app.
export THIDUAWEB_LOGIN_RATE_LIMIT="100000 per minute" THIDUAWEB_RATELIMIT_ENABLED=false
export THIDUAWEB_SESSION_COOKIE_SECURE=false

make setup >/dev/null
.venv/bin/python -m pip install --quiet "locust==2.47.0"
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
.venv/bin/flask --app app db upgrade >/dev/null
echo "== seed-scale: $COMMUNES xã × $YEARS năm =="
/usr/bin/time -f "%e s, %M KB" .venv/bin/flask --app app seed-scale --communes "$COMMUNES" --years "$YEARS"
.venv/bin/flask --app app dashboard rebuild 2>/dev/null || true

.venv/bin/gunicorn --workers 4 --threads 2 --bind 127.0.0.1:8077 --log-level warning app:app &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null' EXIT
sleep 3
LOAD_COMMUNES=$COMMUNES .venv/bin/locust -f benchmarks/load/locustfile.py --headless --host http://127.0.0.1:8077 \
  --users "$USERS" --spawn-rate 10 --run-time "${SECONDS_}s" --only-summary 2>&1 | grep -E "^(Type|-{5}|GET|POST|Aggregated| +[A-Za-z])|Percentage|%ile|Response time" || true
