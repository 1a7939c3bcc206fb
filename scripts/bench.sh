#!/usr/bin/env bash
# The deadline-rush benchmark: gunicorn on PostgreSQL, a locust scenario of 200 simulated users,
# and in the same run the throughput of a bare Django view on the same server.
# Usage: make bench  (BENCH_USERS, BENCH_SECONDS, BENCH_WORKERS, BENCH_APPLICATIONS override the defaults;
# BENCH_LAYOUT=nginx runs the same rush through nginx before two gunicorn servers)
set -euo pipefail
cd "$(dirname "$0")/.."

USERS=${BENCH_USERS:-200}
SECONDS_RUN=${BENCH_SECONDS:-120}
WORKERS=${BENCH_WORKERS:-4}
APPLICATIONS=${BENCH_APPLICATIONS:-1000}
PORT=${BENCH_PORT:-8877}
OUT=var/bench
DB="makerspace_bench"
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export VAR_DIR="$PWD/$OUT/var"
export MEDIA_ROOT="$VAR_DIR/media"
export DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost"
export BENCH_MODE=1
# As in production (config/settings_production.py): persistent, health-checked connections.
export CONN_MAX_AGE=${CONN_MAX_AGE:-60}
mkdir -p "$OUT"

if [ ! -x .venv-bench/bin/locust ]; then
  python3.11 -m venv .venv-bench
  .venv-bench/bin/pip install --quiet "locust==2.47.0"
fi

pg_isready -h 127.0.0.1 -q || pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" >/dev/null
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB" >/dev/null
rm -rf "$VAR_DIR"
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py seed_demo >/dev/null
.venv/bin/python manage.py generate_applications --benchmark --count "$APPLICATIONS" --applicants "$USERS" --complete --reviewers "$((USERS / 5 + 1))" >/dev/null

.venv/bin/python bench/make_sessions.py "$OUT/sessions.json"
export BENCH_SESSIONS="$PWD/$OUT/sessions.json"

if [ "${BENCH_LAYOUT:-single}" = "nginx" ]; then
  # The production layout: nginx on $PORT before two gunicorn servers of WORKERS/2 workers each,
  # the same two cores in all (docs/deployment.md).
  half=$(( WORKERS / 2 > 0 ? WORKERS / 2 : 1 ))
  pids=()
  for app in $((PORT + 1)) $((PORT + 2)); do
    .venv/bin/gunicorn config.wsgi -w "$half" -b "127.0.0.1:$app" --log-level warning --timeout 60 \
      --max-requests 1000 --max-requests-jitter 100 &
    pids+=($!)
  done
  mkdir -p "$PWD/$OUT/nginx/tmp"
  cat >"$PWD/$OUT/nginx/nginx.conf" <<NGINX
worker_processes 1;
pid $PWD/$OUT/nginx/nginx.pid;
error_log $PWD/$OUT/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $PWD/$OUT/nginx/tmp/body;
  proxy_temp_path $PWD/$OUT/nginx/tmp/proxy;
  fastcgi_temp_path $PWD/$OUT/nginx/tmp/fastcgi;
  uwsgi_temp_path $PWD/$OUT/nginx/tmp/uwsgi;
  scgi_temp_path $PWD/$OUT/nginx/tmp/scgi;
  upstream app { server 127.0.0.1:$((PORT + 1)); server 127.0.0.1:$((PORT + 2)); keepalive 16; }
  server {
    listen 127.0.0.1:$PORT;
    client_max_body_size 22m;
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host:\$server_port;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    }
  }
}
NGINX
  nginx -p "$PWD/$OUT/nginx" -c "$PWD/$OUT/nginx/nginx.conf" -g 'daemon off;' &
  pids+=($!)
  trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
else
  .venv/bin/gunicorn config.wsgi -w "$WORKERS" -b "127.0.0.1:$PORT" --log-level warning --timeout 60 \
    --max-requests 1000 --max-requests-jitter 100 &
  GUNICORN=$!
  trap 'kill $GUNICORN 2>/dev/null || true' EXIT
fi
for _ in $(seq 1 30); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 1; done

run() { # name, users, seconds, classes...
  local name=$1 users=$2 secs=$3; shift 3
  .venv-bench/bin/locust -f bench/locustfile.py --headless -u "$users" -r 50 -t "${secs}s" \
    --host "http://127.0.0.1:$PORT" --csv "$OUT/$name" --only-summary --stop-timeout 5 "$@" >"$OUT/$name.log" 2>&1 || true
}
run baseline 50 20 Baseline
run signin 10 30 SignIn
run rush "$USERS" "$SECONDS_RUN" Applicant Reviewer SignInBesideRush

.venv/bin/python bench/report.py "$OUT" "$USERS" "$SECONDS_RUN" "$WORKERS" "$APPLICATIONS"
