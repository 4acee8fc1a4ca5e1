#!/usr/bin/env bash
# Gateway throughput (docs/benchmarks.md): submissions/s and latency percentiles of
# POST /v1/generations under wrk on loopback, against the packaged gateway on its own local stack,
# alternated with pgbench's single-row insert rate into the same PostgreSQL (same connection
# count), so the ratio of the two is measured in one run. Prints one JSON line at the end.
#
# Usage: benchmarks/gateway-throughput.sh   (ROUNDS=3, SECONDS_EACH=15, CONNECTIONS=16, THREADS=2, WRK_TIMEOUT=30s)
# PROFILE=1 also records the gateway with Java Flight Recorder ($STIPPLE_HOME/gateway.jfr; top frames
# printed at the end) and samples what PostgreSQL's sessions wait on during the gateway rounds.
# Needs: wrk (apt-get install wrk), pgbench and psql (apt-get install postgresql-client),
# the gateway built (./mvnw package -DskipTests -pl gateway-service -am).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ROUNDS="${ROUNDS:-3}"
SECONDS_EACH="${SECONDS_EACH:-15}"
CONNECTIONS="${CONNECTIONS:-16}"
THREADS="${THREADS:-2}"
GATEWAY_PORT="${GATEWAY_PORT:-28080}"
# its own stack on its own ports and folder, so a developer's running stack is left alone
export STIPPLE_HOME="${STIPPLE_HOME:-/tmp/stipple-bench-stack}"
export STIPPLE_KAFKA_PORT="${STIPPLE_KAFKA_PORT:-29092}" STIPPLE_KAFKA_CONTROLLER_PORT="${STIPPLE_KAFKA_CONTROLLER_PORT:-29093}"
export STIPPLE_POSTGRES_PORT="${STIPPLE_POSTGRES_PORT:-25432}" STIPPLE_S3_PORT="${STIPPLE_S3_PORT:-29000}"
export STIPPLE_BENCH_API_KEY="stp_0000000be7c4_benchmark-only-key"
JAR="$ROOT/gateway-service/target/quarkus-app/quarkus-run.jar"
[ -f "$JAR" ] || { echo "build the gateway first: ./mvnw package -DskipTests -pl gateway-service -am" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

./stipple stack start >&2
# shellcheck disable=SC1091
# stack.properties is a java.util.Properties file: unescape "\:" and "\=" and quote the values
eval "$(sed -e 's/\\\([:=]\)/\1/g' "$STIPPLE_HOME/stack.properties" | sed -n 's/^\(STIPPLE_[A-Z0-9_]*\)=\(.*\)$/\1='"'"'\2'"'"'/p')"
GATEWAY_PID=""
cleanup() {
  if [ -n "$GATEWAY_PID" ]; then kill "$GATEWAY_PID" 2>/dev/null || true; wait "$GATEWAY_PID" 2>/dev/null || true; fi
  ./stipple stack stop >&2 || true
}
trap cleanup EXIT

JFR_OPTS=""
if [ "${PROFILE:-0}" = 1 ]; then JFR_OPTS="-XX:StartFlightRecording=filename=$STIPPLE_HOME/gateway.jfr,settings=profile"; fi
STIPPLE_GATEWAY_BOOTSTRAP_TENANT=bench STIPPLE_GATEWAY_BOOTSTRAP_API_KEY="$STIPPLE_BENCH_API_KEY" \
STIPPLE_GATEWAY_LIMITS_REQUESTS_PER_MINUTE=100000000 STIPPLE_GATEWAY_LIMITS_REQUEST_BURST=100000000 \
STIPPLE_GATEWAY_LIMITS_MAX_ACTIVE_JOBS=100000000 \
java ${GATEWAY_JAVA_OPTS:--Xmx512m} $JFR_OPTS -Dquarkus.http.port="$GATEWAY_PORT" -Dquarkus.log.level=WARN \
  -Dquarkus.datasource.jdbc.acquisition-timeout=60S \
  -Dkafka.bootstrap.servers="$STIPPLE_KAFKA_BOOTSTRAP" \
  -Dquarkus.datasource.username="$STIPPLE_DB_USER" -Dquarkus.datasource.password="$STIPPLE_DB_PASSWORD" \
  -Dquarkus.datasource.jdbc.url="$STIPPLE_DB_URL" -Dquarkus.datasource.reactive.url="${STIPPLE_DB_URL#jdbc:}" \
  -Dstipple.storage.endpoint="$STIPPLE_S3_ENDPOINT" -Dstipple.storage.access-key="$STIPPLE_S3_ACCESS_KEY" \
  -Dstipple.storage.secret-key="$STIPPLE_S3_SECRET_KEY" -Dstipple.storage.bucket="$STIPPLE_S3_BUCKET" \
  -Dstipple.storage.region="$STIPPLE_S3_REGION" \
  -jar "$JAR" > "$STIPPLE_HOME/bench-gateway.log" 2>&1 &
GATEWAY_PID=$!
for _ in $(seq 180); do
  curl -sf "http://127.0.0.1:$GATEWAY_PORT/q/health/ready" >/dev/null && break
  kill -0 "$GATEWAY_PID" 2>/dev/null || { tail -30 "$STIPPLE_HOME/bench-gateway.log" >&2; exit 1; }
  sleep 1
done
curl -sf "http://127.0.0.1:$GATEWAY_PORT/q/health/ready" >/dev/null || { echo "gateway not ready" >&2; exit 1; }

DB="${STIPPLE_DB_URL#jdbc:postgresql://}"; DB_HOST="${DB%%:*}"; DB_PORT="${DB#*:}"; DB_PORT="${DB_PORT%%/*}"; DB_NAME="${DB##*/}"
export PGPASSWORD="$STIPPLE_DB_PASSWORD"
PSQL=(psql -q -h "$DB_HOST" -p "$DB_PORT" -U "$STIPPLE_DB_USER" -d "$DB_NAME" -v ON_ERROR_STOP=1)
"${PSQL[@]}" -c "CREATE SCHEMA IF NOT EXISTS bench; CREATE TABLE IF NOT EXISTS bench.single_row_insert (
  id uuid PRIMARY KEY, tenant text NOT NULL, request jsonb NOT NULL, created_at timestamptz NOT NULL)"

# During a gateway round with PROFILE=1: every 0.2 s, what each active PostgreSQL session waits on.
sample_waits() {
  while kill -0 "$1" 2>/dev/null; do
    "${PSQL[@]}" -At -c "SELECT coalesce(wait_event_type, 'CPU') || ':' || coalesce(wait_event, '-') FROM pg_stat_activity
      WHERE state = 'active' AND pid <> pg_backend_pid() AND usename = current_user" 2>/dev/null || true
    sleep 0.2
  done | sort | uniq -c | sort -rn | head -8 | awk '{printf "%s%s=%s", (NR > 1 ? "," : ""), "\"" $2 "\"", $1} END {print ""}'
}
wrk_round() {
  wrk -t "$THREADS" -c "$CONNECTIONS" -d "${SECONDS_EACH}s" --timeout "${WRK_TIMEOUT:-30s}" -s "$ROOT/benchmarks/gateway-submit.lua" \
    "http://127.0.0.1:$GATEWAY_PORT" | tail -1
}
pgbench_round() {
  pgbench -n -h "$DB_HOST" -p "$DB_PORT" -U "$STIPPLE_DB_USER" -c "$CONNECTIONS" -j "$THREADS" -T "$SECONDS_EACH" \
    -f "$ROOT/benchmarks/postgres-insert.sql" "$DB_NAME" 2>/dev/null \
    | sed -n 's/^tps = \([0-9.]*\).*/{"per_second":\1}/p; s/^latency average = \([0-9.]*\) ms/{"avg_ms":\1}/p' | paste -sd, -
}
# one submission must be accepted before anything is measured (a benchmark of 4xx answers measures nothing)
smoke="$(curl -s -o "$STIPPLE_HOME/smoke.json" -w '%{http_code}' -H "Authorization: Bearer $STIPPLE_BENCH_API_KEY" \
  -H 'Content-Type: application/json' -d '{"prompt":"a small red circle in the center on a white background"}' \
  "http://127.0.0.1:$GATEWAY_PORT/v1/generations")"
[ "$smoke" = 202 ] || { echo "a submission got $smoke, not 202: $(cat "$STIPPLE_HOME/smoke.json")" >&2; exit 1; }
echo "warm-up (gateway JIT, connection pools)" >&2
SECONDS_EACH=5 wrk_round >/dev/null
results=()
# CPU seconds (user + system) the gateway process has used so far
gateway_cpu() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$GATEWAY_PID/stat"; }
for round in $(seq "$ROUNDS"); do
  load="$(cut -d' ' -f1 /proc/loadavg)"
  pg="$(pgbench_round)"
  cpu_before="$(gateway_cpu)"
  if [ "${PROFILE:-0}" = 1 ]; then
    wrk_round > "$STIPPLE_HOME/wrk.out" & wrk_pid=$!
    waits="$(sample_waits "$wrk_pid")"; wait "$wrk_pid"; gw="$(cat "$STIPPLE_HOME/wrk.out")"
    line="{\"round\":$round,\"load_average\":$load,\"postgres\":[$pg],\"gateway\":$gw,\"gateway_cpu_seconds\":$(awk -v a="$cpu_before" -v b="$(gateway_cpu)" 'BEGIN {print b - a}'),\"postgres_waits\":{$waits}}"
  else
    gw="$(wrk_round)"
    line="{\"round\":$round,\"load_average\":$load,\"postgres\":[$pg],\"gateway\":$gw,\"gateway_cpu_seconds\":$(awk -v a="$cpu_before" -v b="$(gateway_cpu)" 'BEGIN {print b - a}')}"
  fi
  echo "$line" >&2
  results+=("$line")
done
published="$("${PSQL[@]}" -At -c "SELECT count(*) FROM gateway.outbox WHERE sent_at IS NULL" 2>/dev/null || echo null)"
jobs="$("${PSQL[@]}" -At -c "SELECT count(*) FROM gateway.jobs" 2>/dev/null || echo null)"
if [ "${PROFILE:-0}" = 1 ]; then
  jcmd "$GATEWAY_PID" JFR.dump name=1 filename="$STIPPLE_HOME/gateway.jfr" >/dev/null 2>&1 || true
  echo "hottest gateway frames (JFR execution samples, top frame):" >&2
  jfr print --events jdk.ExecutionSample "$STIPPLE_HOME/gateway.jfr" 2>/dev/null \
    | awk '/stackTrace = \[/ {getline; sub(/^[ \t]+/, ""); print}' | sort | uniq -c | sort -rn | head -25 >&2 || true
fi
echo "{\"benchmark\":\"gateway\",\"connections\":$CONNECTIONS,\"threads\":$THREADS,\"seconds_each\":$SECONDS_EACH,\"jobs_in_db\":${jobs:-null},\"outbox_unsent\":${published:-null},\"rounds\":[$(IFS=,; echo "${results[*]}")]}"
