#!/usr/bin/env bash
# End-to-end overhead (docs/benchmarks.md): a generation job's wall time through gateway, outbox,
# Kafka, scheduler, gpu-worker and object store, against the engine's own time for the same work
# (the gateway's defaults: the default model, DPM-Solver++ 20 steps, guidance 3, one image; the
# engine runs it with the worker's TensorFlow threads via `./stipple-engine bench-batching`,
# sampling + PNG). The two alternate in blocks (engine, jobs, engine, jobs, ...), one job or
# engine call at a time, so machine drift hits both. Prints one JSON line per block and a last
# JSON line with the medians and their ratio, each job's overhead (client time minus its round's
# engine time) and where it went, hop by hop, from the services' logs (benchmarks/e2e-hops.py).
# A second overhead figure needs no other block: client time minus the job's own engine time as the
# worker measured it (the batch's sampling plus the job's PNGs, from its "done" line; "own_engine",
# with the worker's split of running -> done), so the engine blocks' spread does not enter it.
#
# Usage: benchmarks/e2e-overhead.sh   (ROUNDS=3, JOBS=5 per block; START_JOBS=10 after the start, then one round on the
# fresh stack ("fresh" in the last line), then WARMUP=300 jobs of WARMUP_STEPS=2 steps before the rounds;
# E2E_WATCH=sse|poll, how the client follows a job: the event stream, or GET every E2E_POLL_MS=20)
# Needs: python3, the whole reactor packaged (./mvnw package -DskipTests), the bundled models.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ROUNDS="${ROUNDS:-3}"
JOBS="${JOBS:-5}"
# its own stack, ports and folder, so a developer's running stack is left alone
export STIPPLE_HOME="${STIPPLE_HOME:-/tmp/stipple-bench-e2e}"
export STIPPLE_KAFKA_PORT="${STIPPLE_KAFKA_PORT:-39192}" STIPPLE_KAFKA_CONTROLLER_PORT="${STIPPLE_KAFKA_CONTROLLER_PORT:-39193}"
export STIPPLE_POSTGRES_PORT="${STIPPLE_POSTGRES_PORT:-35432}" STIPPLE_S3_PORT="${STIPPLE_S3_PORT:-39100}"
export STIPPLE_GATEWAY_PORT="${STIPPLE_GATEWAY_PORT:-38180}" STIPPLE_SCHEDULER_PORT="${STIPPLE_SCHEDULER_PORT:-38181}"
export STIPPLE_WORKER_PORT="${STIPPLE_WORKER_PORT:-38182}" STIPPLE_TRAINER_PORT="${STIPPLE_TRAINER_PORT:-38183}"
KEY="stp_00000000e2e0_overhead-benchmark-key"
URL="http://127.0.0.1:$STIPPLE_GATEWAY_PORT"
mkdir -p "$STIPPLE_HOME"
LOG="$STIPPLE_HOME/run.log"

# job-runtime's DEBUG line "job ... taken" splits Kafka's delivery to the worker from the worker's queue; the
# Kafka clients' DEBUG lines (tracing's KafkaRecordTimes: a record sent, and polled by the receiver) split each hop
# between two services into the sender's time, Kafka's and the receiver's (e2e-hops.py)
export QUARKUS_LOG_CATEGORY__IO_STIPPLE_RUNTIME__LEVEL=DEBUG
export QUARKUS_LOG_CATEGORY__IO_STIPPLE_TRACING_KAFKA__LEVEL=DEBUG
STIPPLE_BUILD=never STIPPLE_GATEWAY_BOOTSTRAP_TENANT=bench STIPPLE_GATEWAY_BOOTSTRAP_API_KEY="$KEY" \
  STIPPLE_GATEWAY_LIMITS_REQUESTS_PER_MINUTE=100000 STIPPLE_GATEWAY_LIMITS_REQUEST_BURST=100000 \
  ./stipple run > "$LOG" 2>&1 &
RUN_PID=$!
cleanup() { kill -TERM "$RUN_PID" 2>/dev/null || true; wait "$RUN_PID" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 600); do
  grep -q "Stipple is running" "$LOG" && break
  kill -0 "$RUN_PID" 2>/dev/null || { tail -30 "$LOG" >&2; exit 1; }
  sleep 1
done
grep -q "Stipple is running" "$LOG" || { echo "services not up, see $LOG" >&2; exit 1; }
for port in "$STIPPLE_GATEWAY_PORT" "$STIPPLE_SCHEDULER_PORT" "$STIPPLE_WORKER_PORT"; do
  curl -sf "http://127.0.0.1:$((port + 1000))/q/health/ready" >/dev/null || { echo "service on port $port not ready, see $LOG" >&2; exit 1; }
done

engine_block() {
  # prints the median seconds of one job alone (sampling + PNG), the worker's TensorFlow threads
  STIPPLE_BUILD=never ./stipple-engine bench-batching --jobs 1 --repeats "$JOBS" 2>/dev/null \
    | sed -n 's/^time per job (1 image, alone): *\([0-9.]*\) s.*/\1/p'
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# Start: the worker loads the model and each consumer meets each partition once: the first record of a
# partition after a start waits up to the connector's poll-timeout (100 ms) per hop while SmallRye looks up its
# committed offset. Job ids pick the partition (3 here), so 10 jobs miss one of them with a chance of about 5%.
START_JOBS="${START_JOBS:-10}"
echo "start: $START_JOBS jobs (model load in the worker, every partition once)" >&2
python3 benchmarks/e2e-client.py "$URL" "$KEY" "$START_JOBS" 900000 >&2
# A fresh stack, measured once (JOBS jobs): after a few jobs the services' job path still runs mostly in the
# interpreter and C1 code (HotSpot compiles a method for good after thousands of calls, a job calls most of its
# path once), so this round prices the JIT's warm-up, not the design (measured: the per-job overhead falls from
# ~165 ms to ~65 ms over the first 300 jobs). Then WARMUP jobs of WARMUP_STEPS denoising steps (the same path
# through the services, a shorter engine share) warm the path as a service that has been up a while is, and the
# rounds measure that.
fresh_jobs="$(python3 benchmarks/e2e-client.py "$URL" "$KEY" "$JOBS" 800000)"
fresh="$(python3 benchmarks/e2e-hops.py "$STIPPLE_HOME/logs" <<<"$fresh_jobs" | jq -c '{own_engine: .own_engine.overhead, hops}')"
echo "fresh stack, $JOBS jobs: $fresh" >&2
WARMUP="${WARMUP:-300}"
WARMUP_STEPS="${WARMUP_STEPS:-2}"
echo "warm-up: $WARMUP jobs of $WARMUP_STEPS steps (the services' JIT)" >&2
E2E_STEPS="$WARMUP_STEPS" python3 benchmarks/e2e-client.py "$URL" "$KEY" "$WARMUP" 700000 > "$STIPPLE_HOME/warmup-jobs.jsonl"
echo "warm-up done: $(jq -r 'select(.status != "succeeded") | .job' "$STIPPLE_HOME/warmup-jobs.jsonl" | wc -l) of $WARMUP not succeeded" >&2
engine_all=(); client_all=(); run_all=(); lines=(); all_jobs=""; overheads=""
for round in $(seq "$ROUNDS"); do
  load="$(cut -d' ' -f1 /proc/loadavg)"
  engine="$(engine_block)"
  jobs_json="$(python3 benchmarks/e2e-client.py "$URL" "$KEY" "$JOBS" $((round * 1000)))"
  client="$(jq -r .client_seconds <<<"$jobs_json" | median)"
  run="$(jq -r .started_to_completed <<<"$jobs_json" | median)"
  failed="$(jq -r 'select(.status != "succeeded") | .job' <<<"$jobs_json" | wc -l)"
  split="$(python3 benchmarks/e2e-hops.py "$STIPPLE_HOME/logs" <<<"$jobs_json")"
  hops="$(jq -c .hops <<<"$split")"; own="$(jq -c .own_engine <<<"$split")"
  all_jobs+="$jobs_json"$'\n'
  overheads+="$(jq -r --argjson e "$engine" '.client_seconds - $e' <<<"$jobs_json")"$'\n'
  line="{\"round\":$round,\"load_average\":$load,\"engine_seconds\":$engine,\"job_client_seconds_median\":$client,\"job_started_to_completed_median\":$run,\"not_succeeded\":$failed,\"own_engine\":$own,\"hops\":$hops,\"jobs\":[$(paste -sd, <<<"$jobs_json")]}"
  echo "$line" >&2
  lines+=("$line")
  engine_all+=("$engine"); client_all+=("$client"); run_all+=("$run")
done
engine_med="$(printf '%s\n' "${engine_all[@]}" | median)"
client_med="$(printf '%s\n' "${client_all[@]}" | median)"
run_med="$(printf '%s\n' "${run_all[@]}" | median)"
ratio="$(awk -v c="$client_med" -v e="$engine_med" 'BEGIN {printf "%.3f", c / e}')"
# a job's overhead: its client time minus the engine's time in its own round
overhead_med="$(grep . <<<"$overheads" | median)"
overhead_max="$(grep . <<<"$overheads" | sort -g | tail -1)"
over_half="$(grep . <<<"$overheads" | awk '$1 > 0.5' | wc -l)"
split="$(grep . <<<"$all_jobs" | python3 benchmarks/e2e-hops.py "$STIPPLE_HOME/logs")"
hops="$(jq -c .hops <<<"$split")"; own="$(jq -c .own_engine <<<"$split")"
echo "hops over all jobs (ms): $hops" >&2
echo "client time minus each job's own engine time (ms), and the worker's split of running -> done: $own" >&2

# Yardsticks of a hop, on the same stack right after the jobs: a lone record through Kafka with the services'
# client settings (benchmarks/KafkaHop.java: send -> acknowledged, send -> the consumer's poll returned it), a
# PostgreSQL transaction that commits (an xid, so its commit waits for the WAL flush) against one that only reads,
# 20 a second from one connection (pgbench, when installed): every hop is at least one of each.
stack_value() { sed -n "s/^$1=//p" "$STIPPLE_HOME/stack.properties" | sed 's/\\//g'; }
kafka_jars="$(ls scheduler-service/target/quarkus-app/lib/main/{org.apache.kafka.kafka-clients-,at.yawk.lz4.,com.github.luben.,org.slf4j.slf4j-api-,org.xerial.snappy.}*.jar | paste -sd:)"
kafka_hop="$(java -cp "$kafka_jars" benchmarks/KafkaHop.java "$(stack_value STIPPLE_KAFKA_BOOTSTRAP)" 2>/dev/null | jq -c .kafka_hop || echo null)"
pg_transaction() {  # prints the mean latency (ms) of one transaction of the given statement, or null
  command -v pgbench >/dev/null || { echo null; return; }
  printf 'begin;\n%s;\ncommit;\n' "$1" > "$STIPPLE_HOME/pgbench.sql"
  PGPASSWORD="$(stack_value STIPPLE_DB_PASSWORD)" pgbench -h 127.0.0.1 -p "$STIPPLE_POSTGRES_PORT" \
    -U "$(stack_value STIPPLE_DB_USER)" -n -c 1 -R 20 -T 5 -f "$STIPPLE_HOME/pgbench.sql" stipple 2>/dev/null \
    | sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' | grep . || echo null
}
# and an upload as the worker's (benchmarks/S3Put.java through the services' ObjectStore: one put, then two side by side)
s3_put="$(java -cp "gpu-worker/target/quarkus-app/lib/main/*" benchmarks/S3Put.java "$(stack_value STIPPLE_S3_ENDPOINT)" \
  "$(stack_value STIPPLE_S3_ACCESS_KEY)" "$(stack_value STIPPLE_S3_SECRET_KEY)" "$(stack_value STIPPLE_S3_BUCKET)" \
  "$(stack_value STIPPLE_S3_REGION)" 2>/dev/null | jq -c .s3_put || echo null)"
yardsticks="{\"kafka_hop\":$kafka_hop,\"s3_put\":$s3_put,\"postgres_commit_ms\":$(pg_transaction 'select txid_current()'),\"postgres_read_ms\":$(pg_transaction 'select 1')}"
echo "yardsticks: $yardsticks" >&2
echo "{\"benchmark\":\"e2e-overhead\",\"date\":\"$(date -u +%FT%TZ)\",\"rounds\":$ROUNDS,\"jobs_per_round\":$JOBS,\"warmup_jobs\":$WARMUP,\"warmup_steps\":$WARMUP_STEPS,\"fresh\":$fresh,\"watch\":\"${E2E_WATCH:-sse}\",\"poll_ms\":${E2E_POLL_MS:-20},\"engine_seconds\":$engine_med,\"job_client_seconds\":$client_med,\"job_started_to_completed\":$run_med,\"client_over_engine\":$ratio,\"overhead_seconds_median\":$overhead_med,\"overhead_seconds_max\":$overhead_max,\"jobs_over_half_second\":$over_half,\"own_engine\":$own,\"hops\":$hops,\"yardsticks\":$yardsticks,\"blocks\":[$(IFS=,; echo "${lines[*]}")]}"
