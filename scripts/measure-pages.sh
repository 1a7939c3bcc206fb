#!/usr/bin/env bash
# Query counts and p50/p95 of the busiest pages at a given data size, on a fresh (or, with
# MEASURE_REUSE=1, a kept) PostgreSQL database.
# Usage: scripts/measure-pages.sh 1000   |   scripts/measure-pages.sh 100000
# MEASURE_DB=<name> picks the database (default makerspace_measure_<count>); set it to a name of your
# own so two people measuring do not drop each other's database. MEASURE_REUSE=1 keeps an existing
# database of that name (applies new migrations, runs VACUUM ANALYZE) instead of building it again.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-1000}
DB="${MEASURE_DB:-makerspace_measure_$COUNT}"
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export VAR_DIR="$PWD/var/measure-$DB"
export MEDIA_ROOT="$VAR_DIR/media"
pg_isready -h 127.0.0.1 -q || pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
if [ "${MEASURE_REUSE:-0}" = 1 ]; then
    .venv/bin/python manage.py migrate --noinput -v0
else
    psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" >/dev/null
    psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB" >/dev/null
    rm -rf "$VAR_DIR"
    .venv/bin/python manage.py migrate --noinput -v0
    .venv/bin/python manage.py seed_demo >/dev/null
    .venv/bin/python manage.py generate_applications --benchmark --count "$COUNT" --applicants 1 --chunk 5000 >/dev/null
fi
# VACUUM as well: the generator rewrites every application once (its number), and this server runs
# without autovacuum, so without it the table holds as many dead rows as live ones and no index-only
# scan can skip the heap: a deployment's autovacuum keeps neither.
psql -h 127.0.0.1 -U postgres -d "$DB" -qc "VACUUM ANALYZE" >/dev/null
.venv/bin/python bench/measure_pages.py --repeat "${REPEAT:-20}"
