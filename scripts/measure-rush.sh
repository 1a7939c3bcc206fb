#!/usr/bin/env bash
# CPU per request of the rush's pages and POSTs as ratios to the signed-in bare view (in-process,
# fresh PostgreSQL database with the data of `make bench`). Usage: scripts/measure-rush.sh [COUNT]
# (MEASURE_DB names the database, REPEAT the requests per page, PROFILE a page label to profile,
# CALLS=1 counts Python function calls per request instead of CPU time).
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-1000}
PY=${PYTHON_BIN:-.venv/bin/python}
DB=${MEASURE_DB:-makerspace_rush_$COUNT}
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export VAR_DIR="$PWD/var/rush-$COUNT"
export MEDIA_ROOT="$VAR_DIR/media"
pg_isready -h 127.0.0.1 -q || pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" >/dev/null
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB" >/dev/null
rm -rf "$VAR_DIR"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py seed_demo >/dev/null
"$PY" manage.py generate_applications --benchmark --count "$COUNT" --applicants 31 --complete --reviewers 3 >/dev/null
psql -h 127.0.0.1 -U postgres -d "$DB" -qc "ANALYZE" >/dev/null
"$PY" bench/measure_rush.py --repeat "${REPEAT:-30}" ${PROFILE:+--profile "$PROFILE"} ${CALLS:+--calls}
