#!/usr/bin/env bash
# Scheduler throughput (docs/benchmarks.md): jobs/s that one scheduler sustains with no-op workers,
# and its queued -> dispatched latency (p50/p99), against single-row insert transactions/s on one
# PostgreSQL connection in the same run (what one connection commits one after the other). Also the burst's
# submitted -> dispatched (from when the record was produced: counts the wait in Kafka before queued too).
# Starts its own local stack and the packaged scheduler with its defaults, except that tenant
# "bench" is routed to worker pool "bench-noop" (where only benchmarks/SchedulerLoad.java's no-op
# worker consumes) and the in-flight limit is lifted so that it is not what is measured. Jobs go
# straight onto Kafka as JobSubmitted records, so the gateway is not in the way. Per round: the
# yardstick, LONE jobs one at a time, a BURST of jobs at once. Prints one JSON line at the end.
#
# Usage: benchmarks/scheduler-throughput.sh   (ROUNDS=3, LONE=20, BURST=500, YARDSTICK_SECONDS=5;
# SCHEDULER_APP=another build's quarkus-app folder, e.g. a copy from before a change)
# Needs: the scheduler built (./mvnw package -DskipTests -pl scheduler-service -am). Wipe
# /tmp/stipple-bench-scheduler before each run, so that runs compare.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=benchmarks/bench-service.sh
source "$ROOT/benchmarks/bench-service.sh"
ROUNDS="${ROUNDS:-3}"
LONE="${LONE:-20}"
BURST="${BURST:-500}"
YARDSTICK_SECONDS="${YARDSTICK_SECONDS:-5}"
SCHEDULER_PORT="${SCHEDULER_PORT:-28181}"
own_stack /tmp/stipple-bench-scheduler 29192 29193 25532 29100
# The stack's build stamp lives in STIPPLE_HOME, which is wiped between runs: without this, every run
# rebuilt contracts and local-stack first (minutes, and a collision with any build running beside it).
export STIPPLE_BUILD="${STIPPLE_BUILD:-never}"
APP="${SCHEDULER_APP:-$ROOT/scheduler-service/target/quarkus-app}"
[ -f "$APP/quarkus-run.jar" ] || { echo "build the scheduler first: ./mvnw package -DskipTests -pl scheduler-service -am" >&2; exit 1; }

start_stack

java ${SCHEDULER_JAVA_OPTS:--Xmx512m} -Dquarkus.http.port="$SCHEDULER_PORT" -Dquarkus.management.port="$((SCHEDULER_PORT + 1000))" -Dquarkus.log.level=WARN \
  -Dquarkus.datasource.jdbc.acquisition-timeout=60S \
  -Dscheduler.dispatch.tenant-pools.bench=bench-noop -Dscheduler.dispatch.generation-in-flight=100000 \
  -Dkafka.bootstrap.servers="$STIPPLE_KAFKA_BOOTSTRAP" \
  -Dquarkus.datasource.username="$STIPPLE_DB_USER" -Dquarkus.datasource.password="$STIPPLE_DB_PASSWORD" \
  -Dquarkus.datasource.jdbc.url="$STIPPLE_DB_URL" -Dquarkus.datasource.reactive.url="${STIPPLE_DB_URL#jdbc:}" \
  -jar "$APP/quarkus-run.jar" > "$STIPPLE_HOME/bench-scheduler.log" 2>&1 &
SCHEDULER_PID=$!
SERVICE_PID=$SCHEDULER_PID
await_ready scheduler "$SCHEDULER_PORT" "$SCHEDULER_PID" "$STIPPLE_HOME/bench-scheduler.log"

java -cp "$APP/lib/main/*" "$ROOT/benchmarks/SchedulerLoad.java" "$STIPPLE_KAFKA_BOOTSTRAP" "$STIPPLE_DB_URL" \
  "$STIPPLE_DB_USER" "$STIPPLE_DB_PASSWORD" bench bench-noop "$ROUNDS" "$LONE" "$BURST" "$YARDSTICK_SECONDS"
