# Sourced by benchmarks/gateway-throughput.sh and scheduler-throughput.sh: their own local stack and
# one packaged service, started for a benchmark (STIPPLE_HOME and the STIPPLE_*_PORT variables set first).

# Starts the stack and sets its endpoints (STIPPLE_DB_URL, STIPPLE_KAFKA_BOOTSTRAP, ...) as variables.
start_stack() {
  ./stipple stack start >&2
  # stack.properties is a java.util.Properties file: unescape "\:" and "\=" and quote the values
  eval "$(sed -e 's/\\\([:=]\)/\1/g' "$STIPPLE_HOME/stack.properties" | sed -n 's/^\(STIPPLE_[A-Z0-9_]*\)=\(.*\)$/\1='"'"'\2'"'"'/p')"
}

# await_ready NAME PORT PID LOG: waits up to 3 minutes for the service's readiness (on its management port,
# PORT + 1000: start the service with -Dquarkus.management.port=$((PORT + 1000))); exits with its log's tail if it dies.
await_ready() {
  local name="$1" port="$2" pid="$3" log="$4"
  for _ in $(seq 180); do
    curl -sf "http://127.0.0.1:$((port + 1000))/q/health/ready" >/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { tail -30 "$log" >&2; exit 1; }
    sleep 1
  done
  echo "$name not ready after 3 minutes, see $log" >&2
  exit 1
}

# own_stack HOME KAFKA_PORT CONTROLLER_PORT POSTGRES_PORT S3_PORT: the benchmark's own stack folder and
# ports (each unless set already), so a developer's running stack is left alone.
own_stack() {
  export STIPPLE_HOME="${STIPPLE_HOME:-$1}"
  export STIPPLE_KAFKA_PORT="${STIPPLE_KAFKA_PORT:-$2}" STIPPLE_KAFKA_CONTROLLER_PORT="${STIPPLE_KAFKA_CONTROLLER_PORT:-$3}"
  export STIPPLE_POSTGRES_PORT="${STIPPLE_POSTGRES_PORT:-$4}" STIPPLE_S3_PORT="${STIPPLE_S3_PORT:-$5}"
}

# On exit: the service whose pid the script put in SERVICE_PID, then the stack.
SERVICE_PID=""
stop_service_and_stack() {
  if [ -n "$SERVICE_PID" ]; then kill "$SERVICE_PID" 2>/dev/null || true; wait "$SERVICE_PID" 2>/dev/null || true; fi
  ./stipple stack stop >&2 || true
}
trap stop_service_and_stack EXIT
