#!/usr/bin/env bash
# Query counts and p50/p95 of the busiest pages at a given data size, on a fresh PostgreSQL database.
# Usage: scripts/measure-pages.sh 1000   |   scripts/measure-pages.sh 100000
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-1000}
DB="makerspace_measure_$COUNT"
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export VAR_DIR="$PWD/var/measure-$COUNT"
export MEDIA_ROOT="$VAR_DIR/media"
pg_isready -h 127.0.0.1 -q || pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" >/dev/null
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB" >/dev/null
rm -rf "$VAR_DIR"
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py seed_demo >/dev/null
.venv/bin/python manage.py generate_applications --benchmark --count "$COUNT" --applicants 1 --chunk 5000 >/dev/null
psql -h 127.0.0.1 -U postgres -d "$DB" -qc "ANALYZE" >/dev/null
.venv/bin/python bench/measure_pages.py --repeat "${REPEAT:-20}"
