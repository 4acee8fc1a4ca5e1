#!/usr/bin/env bash
# End-to-end overhead (docs/benchmarks.md): a generation job's wall time through gateway, outbox,
# Kafka, scheduler, gpu-worker and object store, against the engine's own time for the same work
# (the gateway's defaults: the default model, DPM-Solver++ 20 steps, guidance 3, one image; the
# engine runs it with the worker's TensorFlow threads via `./stipple-engine bench-batching`,
# sampling + PNG). The two alternate in blocks (engine, jobs, engine, jobs, ...), one job or
# engine call at a time, so machine drift hits both. Prints one JSON line per block and a last
# JSON line with the medians and their ratio.
#
# Usage: benchmarks/e2e-overhead.sh   (ROUNDS=3, JOBS=5 per block)
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

echo "warm-up: 2 jobs (model load in the worker, JIT)" >&2
python3 benchmarks/e2e-client.py "$URL" "$KEY" 2 900000 >&2
engine_all=(); client_all=(); run_all=(); lines=()
for round in $(seq "$ROUNDS"); do
  load="$(cut -d' ' -f1 /proc/loadavg)"
  engine="$(engine_block)"
  jobs_json="$(python3 benchmarks/e2e-client.py "$URL" "$KEY" "$JOBS" $((round * 1000)))"
  client="$(jq -r .client_seconds <<<"$jobs_json" | median)"
  run="$(jq -r .started_to_completed <<<"$jobs_json" | median)"
  failed="$(jq -r 'select(.status != "succeeded") | .job' <<<"$jobs_json" | wc -l)"
  line="{\"round\":$round,\"load_average\":$load,\"engine_seconds\":$engine,\"job_client_seconds_median\":$client,\"job_started_to_completed_median\":$run,\"not_succeeded\":$failed,\"jobs\":[$(paste -sd, <<<"$jobs_json")]}"
  echo "$line" >&2
  lines+=("$line")
  engine_all+=("$engine"); client_all+=("$client"); run_all+=("$run")
done
engine_med="$(printf '%s\n' "${engine_all[@]}" | median)"
client_med="$(printf '%s\n' "${client_all[@]}" | median)"
run_med="$(printf '%s\n' "${run_all[@]}" | median)"
ratio="$(awk -v c="$client_med" -v e="$engine_med" 'BEGIN {printf "%.3f", c / e}')"
echo "{\"benchmark\":\"e2e-overhead\",\"date\":\"$(date -u +%FT%TZ)\",\"rounds\":$ROUNDS,\"jobs_per_round\":$JOBS,\"engine_seconds\":$engine_med,\"job_client_seconds\":$client_med,\"job_started_to_completed\":$run_med,\"client_over_engine\":$ratio,\"blocks\":[$(IFS=,; echo "${lines[*]}")]}"
