#!/usr/bin/env bash
# The production layout on this machine: nginx (8130) in front of two gunicorn servers (8131, 8132),
# PostgreSQL, a Redis broker (8134) and the shared cache (Redis db 3), a Celery worker and beat, and
# moto's S3 server (8133); then the journey of tests/multiserver through nginx, with its faults (a
# worker killed mid-job, the broker down during a submission). Every process started here is
# stopped on exit.
# Usage: bash scripts/multiserver.sh   (MULTISERVER_DB, MULTISERVER_REDIS override the defaults)
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

PY=${PYTHON:-.venv/bin/python}
[ -x "$PY" ] || PY=/work/main/.venv/bin/python
BIN=$(dirname "$PY")
OUT=$PWD/var/multiserver
DB=${MULTISERVER_DB:-makerspace_i13}
REDIS=${MULTISERVER_REDIS:-redis://127.0.0.1:6379/3}
NGINX_PORT=8130; APP1=8131; APP2=8132; S3_PORT=8133

rm -rf "$OUT"; mkdir -p "$OUT"/{var,nginx/tmp,prom1,prom2,logs}
chmod 777 "$OUT/nginx/tmp"

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export CONN_MAX_AGE=60
# The broker is a Redis of its own (the fault test stops and restarts it); the shared cache is
# REDIS.
BROKER_PORT=8134
export CELERY_BROKER_URL="redis://127.0.0.1:$BROKER_PORT/0"
export DJANGO_CACHE_URL="$REDIS"
export AWS_STORAGE_BUCKET_NAME=makerspace-multiserver
export AWS_S3_ENDPOINT_URL="http://127.0.0.1:$S3_PORT"
export AWS_S3_REGION_NAME=us-east-1
export AWS_S3_ADDRESSING_STYLE=path
export AWS_S3_ACCESS_KEY_ID=multiserver
export AWS_S3_SECRET_ACCESS_KEY=multiserver-secret
export TRUSTED_PROXY_COUNT=1
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export SITE_URL="http://127.0.0.1:$NGINX_PORT"
# The same secret on every server: a session made by one is read by the other.
export DJANGO_SECRET_KEY="multiserver-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export VAR_DIR="$OUT/var"
export LOG_FORMAT=json LOG_LEVEL=WARNING
export RATELIMIT_ENABLE=0
# A job silent for 10 s has lost its worker (the fault test kills one mid-job).
export DOCUMENT_JOB_STALE_SECONDS=10

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  # the broker may have been restarted by the fault test
  [ -f "$OUT/broker.pid" ] && kill "$(cat "$OUT/broker.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

wait_for() {  # url
  for _ in $(seq 1 60); do curl -fs -o /dev/null "$1" && return 0; sleep 0.5; done
  echo "not answering: $1" >&2; return 1
}

redis-cli -u "$REDIS" FLUSHDB >/dev/null
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" >/dev/null
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB" >/dev/null

"$BIN/moto_server" -H 127.0.0.1 -p "$S3_PORT" >"$OUT/logs/moto.log" 2>&1 & pids+=($!)
redis-server --port "$BROKER_PORT" --bind 127.0.0.1 --save '' --appendonly no >"$OUT/logs/broker.log" 2>&1 &
echo $! >"$OUT/broker.pid"
"$PY" manage.py migrate --noinput -v0
wait_for "http://127.0.0.1:$S3_PORT/moto-api/"
"$PY" scripts/multiserver_world.py >"$OUT/world.json"

for port in $APP1 $APP2; do
  prom="$OUT/prom$([ "$port" = "$APP1" ] && echo 1 || echo 2)"
  PROMETHEUS_MULTIPROC_DIR="$prom" "$BIN/gunicorn" config.wsgi -w 2 -b "127.0.0.1:$port" \
    --timeout 60 --max-requests 1000 --max-requests-jitter 100 \
    --log-level warning >"$OUT/logs/gunicorn-$port.log" 2>&1 & pids+=($!)
done
"$BIN/celery" -A config worker -c 1 --loglevel WARNING >"$OUT/logs/celery-worker.log" 2>&1 & pids+=($!)
export CELERY_WORKER_PID=$!
"$BIN/celery" -A config beat -s "$OUT/var/beat-schedule" --loglevel WARNING \
  >"$OUT/logs/celery-beat.log" 2>&1 & pids+=($!)

cat >"$OUT/nginx/nginx.conf" <<NGINX
worker_processes 1;
pid $OUT/nginx/nginx.pid;
error_log $OUT/logs/nginx-error.log warn;
events { worker_connections 256; }
http {
  access_log $OUT/logs/nginx-access.log;
  client_body_temp_path $OUT/nginx/tmp/body;
  proxy_temp_path $OUT/nginx/tmp/proxy;
  fastcgi_temp_path $OUT/nginx/tmp/fastcgi;
  uwsgi_temp_path $OUT/nginx/tmp/uwsgi;
  scgi_temp_path $OUT/nginx/tmp/scgi;
  upstream makerspace_app {
    server 127.0.0.1:$APP1;
    server 127.0.0.1:$APP2;
    keepalive 8;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    client_max_body_size 22m;
    location = /metrics { deny all; }
    location / {
      proxy_pass http://makerspace_app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host:\$server_port;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Request-ID \$request_id;
      add_header X-Upstream \$upstream_addr always;
    }
  }
}
NGINX
nginx -p "$OUT/nginx" -c "$OUT/nginx/nginx.conf" -g 'daemon off;' & pids+=($!)

wait_for "http://127.0.0.1:$APP1/readyz"
wait_for "http://127.0.0.1:$APP2/readyz"
wait_for "http://127.0.0.1:$NGINX_PORT/healthz"
ready=$(date +%s)

status=0
MULTISERVER_URL="http://127.0.0.1:$NGINX_PORT" MULTISERVER_APP_URL="http://127.0.0.1:$APP1" \
  MULTISERVER_WORLD="$OUT/world.json" MULTISERVER_BROKER_PORT=$BROKER_PORT \
  MULTISERVER_BROKER_PIDFILE="$OUT/broker.pid" MULTISERVER_WORKER_LOG="$OUT/logs/celery-worker.log" \
  "$PY" -m pytest tests/multiserver -q -p no:cacheprovider || status=$?
finished=$(date +%s)
echo "multiserver: layout up in $((ready - started)) s, journey $((finished - ready)) s, total $((finished - started)) s"
exit $status
