#!/usr/bin/env bash
# Gateway throughput (docs/benchmarks.md): submissions/s and latency percentiles of
# POST /v1/generations under wrk on loopback, against the packaged gateway on its own local stack,
# alternated with pgbench's single-row insert rate into the same PostgreSQL (same connection
# count), so the ratio of the two is measured in one run. Prints one JSON line at the end.
#
# Usage: benchmarks/gateway-throughput.sh   (ROUNDS=3, SECONDS_EACH=15, CONNECTIONS=16, THREADS=2, WRK_TIMEOUT=30s,
# WARMUP_SECONDS=60, WARMUP_JIT_SECONDS=0.5 (two 15 s parts in a row under it), WARMUP_MAX_SECONDS=240, COLD_SECONDS=15, IDLE_SECONDS=10; GATEWAY_JAR=another build's quarkus-run.jar, e.g. a copy of the one before a change;
# GATEWAY_LOG_LEVEL=INFO, the level the gateway ships with, so its per-request logging is priced too; STIPPLE_LOG_JSON=true
# logs as JSON, as in a deployment that collects logs)
# Each round's line also gives the CPU that the gateway, PostgreSQL's server processes and wrk used during the
# gateway round, per submission (cpu_ms_per_submission), and PostgreSQL's committed transactions per submission:
# on a shared machine these, not submissions/s, compare two builds (with the same warm-up).
# PROFILE=1 also records the gateway with Java Flight Recorder after the warm-up ($STIPPLE_HOME/gateway.jfr; its CPU by
# thread, library and method is printed at the end by benchmarks/jfr-breakdown.py)
# and samples what PostgreSQL's sessions wait on during the gateway rounds.
# The last JSON line's "relay" object is the outbox relay over the run: its largest backlog and the rows it published
# per second while a backlog existed (BACKLOG_ROWS, default 1,000 unsent rows), computed from the outbox rows at the end.
# Needs: wrk (apt-get install wrk), pgbench and psql (apt-get install postgresql-client),
# the gateway built (./mvnw package -DskipTests -pl gateway-service -am).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=benchmarks/bench-service.sh
source "$ROOT/benchmarks/bench-service.sh"
ROUNDS="${ROUNDS:-3}"
SECONDS_EACH="${SECONDS_EACH:-15}"
CONNECTIONS="${CONNECTIONS:-16}"
THREADS="${THREADS:-2}"
GATEWAY_PORT="${GATEWAY_PORT:-28080}"
own_stack /tmp/stipple-bench-stack 29092 29093 25432 29000
export STIPPLE_BENCH_API_KEY="stp_0000000be7c4_benchmark-only-key"
# a second tenant with a concurrent-job limit of LIMITED_MAX, submitting during the last round
LIMITED_KEY="stp_0000000be7c5_benchmark-limited-key"
LIMITED_MAX=5
JAR="${GATEWAY_JAR:-$ROOT/gateway-service/target/quarkus-app/quarkus-run.jar}"
[ -f "$JAR" ] || { echo "build the gateway first: ./mvnw package -DskipTests -pl gateway-service -am" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

start_stack

JFR_OPTS=""
# deep enough for Quarkus' request stacks (JFR's default of 64 frames cuts them before the project's code)
if [ "${PROFILE:-0}" = 1 ]; then JFR_OPTS="-XX:FlightRecorderOptions:stackdepth=512"; fi
STIPPLE_GATEWAY_BOOTSTRAP_TENANT=bench STIPPLE_GATEWAY_BOOTSTRAP_API_KEY="$STIPPLE_BENCH_API_KEY" \
STIPPLE_GATEWAY_LIMITS_REQUESTS_PER_MINUTE=100000000 STIPPLE_GATEWAY_LIMITS_REQUEST_BURST=100000000 \
STIPPLE_GATEWAY_LIMITS_MAX_ACTIVE_JOBS=100000000 \
java ${GATEWAY_JAVA_OPTS:--Xmx512m} $JFR_OPTS -Dquarkus.http.port="$GATEWAY_PORT" -Dquarkus.management.port="$((GATEWAY_PORT + 1000))" -Dquarkus.log.level="${GATEWAY_LOG_LEVEL:-INFO}" \
  -Dquarkus.datasource.jdbc.acquisition-timeout=60S -Dstipple.gateway.bootstrap.more-tenants.benchlimited="$LIMITED_KEY" \
  -Dkafka.bootstrap.servers="$STIPPLE_KAFKA_BOOTSTRAP" \
  -Dquarkus.datasource.username="$STIPPLE_DB_USER" -Dquarkus.datasource.password="$STIPPLE_DB_PASSWORD" \
  -Dquarkus.datasource.jdbc.url="$STIPPLE_DB_URL" -Dquarkus.datasource.reactive.url="${STIPPLE_DB_URL#jdbc:}" \
  -Dstipple.storage.endpoint="$STIPPLE_S3_ENDPOINT" -Dstipple.storage.access-key="$STIPPLE_S3_ACCESS_KEY" \
  -Dstipple.storage.secret-key="$STIPPLE_S3_SECRET_KEY" -Dstipple.storage.bucket="$STIPPLE_S3_BUCKET" \
  -Dstipple.storage.region="$STIPPLE_S3_REGION" \
  -jar "$JAR" > "$STIPPLE_HOME/bench-gateway.log" 2>&1 &
GATEWAY_PID=$!
SERVICE_PID=$GATEWAY_PID
await_ready gateway "$GATEWAY_PORT" "$GATEWAY_PID" "$STIPPLE_HOME/bench-gateway.log"

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
  done | sort | uniq -c | sort -rn | head -8 | awk '{printf "%s%s:%s", (NR > 1 ? "," : ""), "\"" $2 "\"", $1} END {print ""}'
}
wrk_round() {
  # wrk's own CPU (user + system seconds) goes to wrk-cpu.out: the load generator shares the cores it measures
  /usr/bin/time -f '%U %S' -o "$STIPPLE_HOME/wrk-cpu.out" wrk -t "$THREADS" -c "$CONNECTIONS" -d "${SECONDS_EACH}s" --timeout "${WRK_TIMEOUT:-30s}" -s "$ROOT/benchmarks/gateway-submit.lua" \
    "http://127.0.0.1:$GATEWAY_PORT" | tail -1
}
pgbench_round() {
  pgbench -n -h "$DB_HOST" -p "$DB_PORT" -U "$STIPPLE_DB_USER" -c "$CONNECTIONS" -j "$THREADS" -T "$SECONDS_EACH" \
    -f "$ROOT/benchmarks/postgres-insert.sql" "$DB_NAME" 2>/dev/null \
    | sed -n 's/^tps = \([0-9.]*\).*/{"per_second":\1}/p; s/^latency average = \([0-9.]*\) ms/{"avg_ms":\1}/p' | paste -sd, -
}
RUN_ID="$(date +%s)"
jobs_before="$("${PSQL[@]}" -At -c "SELECT count(*) FROM gateway.jobs WHERE tenant_id = 'bench' AND idempotency_key IS NULL")"
accepted=0
# 202s among a wrk line's answers: completed requests minus non-2xx ones
accepted_of() { jq -r '.requests - .non_2xx' <<<"$1"; }
# During the last round: the limited tenant submits 4x its limit at once, and 10 Idempotency-Keys are
# each sent twice at once by tenant bench; the counts are checked after the run. All 40 go from one curl process
# (--parallel) whose requests are written before the round: sent as 40 subshells with a curl and a jq each (120
# processes at once on the cores the gateway shares), they starved the gateway for 1-5 s, and wrk's latency (which
# fills in the requests a stalled connection did not send) made that stall the round's p99 (docs/benchmarks.md 4).
CHECKS_DIR="$STIPPLE_HOME/checks"
rm -rf "$CHECKS_DIR"; mkdir -p "$CHECKS_DIR"
check_request() { # check_request DIR NAME KEY BODY [IDEMPOTENCY_KEY]: one transfer of the curl config
  printf 'next\nurl = "http://127.0.0.1:%s/v1/generations"\nheader = "Authorization: Bearer %s"\nheader = "Content-Type: application/json"\nsilent\n' "$GATEWAY_PORT" "$3"
  [ -z "${5:-}" ] || printf 'header = "Idempotency-Key: %s"\n' "$5"
  printf 'data = "%s"\noutput = "%s/%s.json"\nwrite-out = "%s %%{http_code}\\n"\n' "${4//\"/\\\"}" "$1" "$2" "$2"
}
checks_config() { # checks_config DIR KEY_PREFIX: the 40 requests as DIR/requests.curl, their answers to go in DIR
  mkdir -p "$1"
  {
    for i in $(seq $((LIMITED_MAX * 4))); do check_request "$1" "limited$i" "$LIMITED_KEY" "{\"prompt\":\"a blue square\",\"seed\":$i}"; done
    for i in $(seq 10); do for copy in a b; do
      check_request "$1" "key$i$copy" "$STIPPLE_BENCH_API_KEY" "{\"prompt\":\"a green star\",\"seed\":$i}" "$2-$i"
    done; done
  } | sed 1d > "$1/requests.curl" # each transfer after "next", but the first
}
checks_config "$CHECKS_DIR" "bench-idem-$RUN_ID"
# The same kinds of requests once during the warm-up (other keys; the limited tenant is reset after it), so that the
# last round's checks meet paths the JIT has compiled already (refusals, replays), as in a gateway that has run a while.
checks_config "$CHECKS_DIR/warm-up" "bench-warm-$RUN_ID"
checks_under_load() { # checks_under_load DIR
  curl -s --parallel --parallel-immediate --parallel-max 40 -K "$1/requests.curl" 2> "$1/curl.err"
}
# After the run: "status id" per limited request, "keyN status id" per keyed one
checks_answers() {
  local name code
  while read -r name code; do
    echo "${name/#limited*/} $code $(jq -r '.id // "-"' "$CHECKS_DIR/$name.json" 2>/dev/null || echo -)" | sed -E 's/^ //; s/^(key[0-9]+)[ab] /\1 /'
  done < "$CHECKS_DIR/answers.txt"
}
# The relay's drain rate is computed from this run's outbox rows at the end (created_at, sent_at): nothing sampled meanwhile.
outbox_id_before="$("${PSQL[@]}" -At -c "SELECT coalesce(max(id), 0) FROM gateway.outbox")"
# one submission must be accepted before anything is measured (a benchmark of 4xx answers measures nothing)
smoke="$(curl -s -o "$STIPPLE_HOME/smoke.json" -w '%{http_code}' -H "Authorization: Bearer $STIPPLE_BENCH_API_KEY" \
  -H 'Content-Type: application/json' -d '{"prompt":"a small red circle in the center on a white background"}' \
  "http://127.0.0.1:$GATEWAY_PORT/v1/generations")"
[ "$smoke" = 202 ] || { echo "a submission got $smoke, not 202: $(cat "$STIPPLE_HOME/smoke.json")" >&2; exit 1; }
accepted=1
# CPU seconds (user + system) the gateway process has used so far
gateway_cpu() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$GATEWAY_PID/stat"; }
# ... of it, the JIT compiler threads' (C1, C2): on a loaded machine the warm-up does not finish compiling, and the
# rounds' CPU per submission is given without it too (gateway_jit_excluded); per thread, whose name may hold spaces
jit_cpu() {
  cat /proc/"$GATEWAY_PID"/task/*/stat 2>/dev/null | awk -v hz="$(getconf CLK_TCK)" '
    /\((C1|C2) CompilerThre/ {sub(/^.*\) /, ""); t += ($12 + $13) / hz} END {print t + 0}'
}
# The warm-up: the rounds' load until the gateway's JIT has settled, before anything is measured, because a
# long-running gateway is a warm one. After the 30 s that runs used to take, its JIT still spent 3.5-5.9 CPU-seconds
# of each 15 s round compiling (docs/benchmarks.md section 4, session 14's quiet rerun), and in a run of six rounds it
# took 60-75 s of load to fall to a few tenths of a second per round (helper session gwratio): a 30 s warm-up measured
# the compiler beside the gateway, more so on a loaded machine, where the same seconds bring fewer requests to compile
# for. So: at least WARMUP_SECONDS (default 60), then parts of 15 s until two in a row cost the JIT under
# WARMUP_JIT_SECONDS (default 0.5 CPU-seconds) each, WARMUP_MAX_SECONDS (default 240) at most. One quiet part was the
# rule until session 16, when a warm-up stopped at 60 s after parts of 9.9, 10.0, 4.8 and 0.3 CPU-s and each round
# after it still had 1.1 CPU-s of JIT (and a p99 over 50 ms; docs/benchmarks.md section 4, 2026-12-08). The checks' kinds of requests (refusals,
# replays) are sent once in it too. Its first COLD_SECONDS (default 15) are measured against the gateway just started
# and printed as "cold" (wrk's figures and the JIT's CPU in them), what the first seconds after a deployment look like;
# "warmup" gives its length and the JIT's CPU-seconds in each part.
WARMUP_SECONDS="${WARMUP_SECONDS:-60}"
WARMUP_MAX_SECONDS="${WARMUP_MAX_SECONDS:-240}"
COLD_SECONDS="$(( ${COLD_SECONDS:-15} < WARMUP_SECONDS ? ${COLD_SECONDS:-15} : WARMUP_SECONDS ))"
[ "$COLD_SECONDS" -ge 1 ] || COLD_SECONDS=1 # the cold figure is always taken (wrk refuses 0 s)
echo "warm-up (gateway JIT, connection pools): ${WARMUP_SECONDS}-${WARMUP_MAX_SECONDS}s, the first ${COLD_SECONDS}s measured as cold" >&2
warm_part() { # warm_part SECONDS: one part of the warm-up; prints wrk's line with the JIT's CPU-seconds in it
  local jit_before line
  jit_before="$(jit_cpu)"
  line="$(SECONDS_EACH="$1" wrk_round)"
  echo "${line%\}},\"gateway_jit_cpu_seconds\":$(awk -v a="$jit_before" -v b="$(jit_cpu)" 'BEGIN {print b - a}')}"
}
if [ "${PROFILE:-0}" = 1 ]; then
  # the JDK's "profile" settings, with a Java sample every 2 ms instead of 10 ms: enough samples for shares of a few %
  JAVA_HOME_DIR="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  sed '/name="jdk.ExecutionSample"/,/<\/event>/ s/>10 ms</>2 ms</' "$JAVA_HOME_DIR/lib/jfr/profile.jfc" > "$STIPPLE_HOME/profile-2ms.jfc"
  jcmd "$GATEWAY_PID" JFR.start name=warm-up settings="$STIPPLE_HOME/profile-2ms.jfc" >/dev/null
fi
cold="$(warm_part "$COLD_SECONDS")"
accepted=$((accepted + $(accepted_of "$cold")))
wrk_runs=1; warmed="$COLD_SECONDS"; warm_jit="$(jq -r .gateway_jit_cpu_seconds <<<"$cold")"; warm_jits="$warm_jit"
previous_jit="$warm_jit"
jit_busy() { awk -v j="$1" -v max="${WARMUP_JIT_SECONDS:-0.5}" 'BEGIN {exit !(j >= max)}'; }
(sleep 2; checks_under_load "$CHECKS_DIR/warm-up" > "$CHECKS_DIR/warm-up/answers.txt") & warm_checks_pid=$!
while [ "$warmed" -lt "$WARMUP_MAX_SECONDS" ] && { [ "$warmed" -lt "$WARMUP_SECONDS" ] \
    || jit_busy "$warm_jit" || jit_busy "$previous_jit"; }; do
  part="$(warm_part 15)"
  accepted=$((accepted + $(accepted_of "$part")))
  wrk_runs=$((wrk_runs + 1)); warmed=$((warmed + 15))
  previous_jit="$warm_jit"
  warm_jit="$(jq -r .gateway_jit_cpu_seconds <<<"$part")"; warm_jits="$warm_jits,$warm_jit"
done
wait "$warm_checks_pid"
warmup="{\"seconds\":$warmed,\"jit_cpu_seconds_per_part\":[$warm_jits]}"
echo "cold: $cold" >&2
echo "warm-up: $warmup" >&2
# The stack's database outlives a run, and the warm-up's checks took the limited tenant's slots: it starts the measured
# rounds with no unfinished jobs (the earlier ones are let go of their slots).
"${PSQL[@]}" -c "UPDATE gateway.jobs SET holds_active_slot = false WHERE tenant_id = 'benchlimited';
  UPDATE gateway.tenants SET max_active_jobs = $LIMITED_MAX, active_jobs = 0 WHERE id = 'benchlimited'"
limited_before="$("${PSQL[@]}" -At -c "SELECT count(*) FROM gateway.jobs WHERE tenant_id = 'benchlimited'")"
# What the gateway costs doing nothing (its Kafka consumer's polling, timers, metrics): CPU ms per second over
# IDLE_SECONDS after the warm-up (0 skips it); a round's CPU per submission includes this much per second of it.
idle_ms_per_second=null
if [ "${IDLE_SECONDS:-10}" -gt 0 ]; then
  sleep 2 # the warm-up's last answers and the relay's rounds after them
  idle_before="$(awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$GATEWAY_PID/stat")"
  sleep "${IDLE_SECONDS:-10}"
  idle_ms_per_second="$(awk -v hz="$(getconf CLK_TCK)" -v a="$idle_before" -v s="${IDLE_SECONDS:-10}" '{printf "%.2f", 1000 * (($14 + $15) / hz - a) / s}' "/proc/$GATEWAY_PID/stat")"
  echo "gateway idle: $idle_ms_per_second ms of CPU per second" >&2
fi
# The recording kept starts after the warm-up, so start-up and JIT compilation stay out of the profile; one with the
# same settings runs through the warm-up and is dropped, because JFR's own code, compiled once a recording starts, kept
# the JIT busy for 6.6-7.3 CPU-seconds of each round after a warm-up that had settled it (helper session gwratio).
if [ "${PROFILE:-0}" = 1 ]; then
  jcmd "$GATEWAY_PID" JFR.start name=bench settings="$STIPPLE_HOME/profile-2ms.jfc" filename="$STIPPLE_HOME/gateway.jfr" >/dev/null
  jcmd "$GATEWAY_PID" JFR.stop name=warm-up >/dev/null
fi
results=()
# CPU seconds of PostgreSQL's server processes alive now (the postmaster's children: the gateway's pooled connections
# live through a round; pgbench's have ended before it starts)
POSTMASTER_PID="$(head -1 "$STIPPLE_HOME/postgres/data/postmaster.pid" 2>/dev/null || echo 0)"
postgres_cpu() {
  local total=0 pid
  for pid in $POSTMASTER_PID $(pgrep -P "$POSTMASTER_PID" 2>/dev/null); do
    total="$(awk -v t="$total" -v hz="$(getconf CLK_TCK)" '{print t + ($14 + $15) / hz}' "/proc/$pid/stat" 2>/dev/null || echo "$total")"
  done
  echo "$total"
}
postgres_commits() { "${PSQL[@]}" -At -c "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"; }
# The gateway round's costs as JSON fields: CPU seconds of the gateway, PostgreSQL and wrk, per submission in ms,
# and PostgreSQL commits per submission (the relay's and, with PROFILE=1, the wait sampler's included)
round_costs() { # GW_CPU_BEFORE PG_CPU_BEFORE COMMITS_BEFORE WRK_LINE JIT_CPU_BEFORE
  local requests gw pg wrk commits jit
  requests="$(jq -r .requests <<<"$4")"
  gw="$(awk -v a="$1" -v b="$(gateway_cpu)" 'BEGIN {print b - a}')"
  jit="$(awk -v a="$5" -v b="$(jit_cpu)" 'BEGIN {print b - a}')"
  pg="$(awk -v a="$2" -v b="$(postgres_cpu)" 'BEGIN {print b - a}')"
  wrk="$(awk '{print $1 + $2}' "$STIPPLE_HOME/wrk-cpu.out")"
  commits="$(( $(postgres_commits) - $3 ))"
  # marginal: without the JIT's CPU and without what the gateway spends idle (idle_ms_per_second over the round)
  awk -v n="$requests" -v gw="$gw" -v jit="$jit" -v pg="$pg" -v wrk="$wrk" -v c="$commits" -v idle="${idle_ms_per_second/null/0}" \
    -v secs="$(jq -r .seconds <<<"$4")" 'BEGIN {n = (n > 0 ? n : 1);
    printf "\"gateway_cpu_seconds\":%s,\"gateway_jit_cpu_seconds\":%s,\"postgres_cpu_seconds\":%s,\"wrk_cpu_seconds\":%s,\"cpu_ms_per_submission\":{\"gateway\":%.3f,\"gateway_jit_excluded\":%.3f,\"gateway_marginal\":%.3f,\"postgres\":%.3f,\"wrk\":%.3f},\"postgres_commits_per_submission\":%.3f",
      gw, jit, pg, wrk, 1000 * gw / n, 1000 * (gw - jit) / n, (1000 * (gw - jit) - idle * secs) / n, 1000 * pg / n, 1000 * wrk / n, c / n}'
}
for round in $(seq "$ROUNDS"); do
  load="$(cut -d' ' -f1 /proc/loadavg)"
  pg="$(pgbench_round)"
  cpu_before="$(gateway_cpu)"; jit_before="$(jit_cpu)"; pg_cpu_before="$(postgres_cpu)"; commits_before="$(postgres_commits)"
  if [ "$round" = "$ROUNDS" ]; then (sleep 2; checks_under_load "$CHECKS_DIR" > "$CHECKS_DIR/answers.txt") & checks_pid=$!; fi
  if [ "${PROFILE:-0}" = 1 ]; then
    wrk_round > "$STIPPLE_HOME/wrk.out" & wrk_pid=$!
    waits="$(sample_waits "$wrk_pid")"; wait "$wrk_pid"; gw="$(cat "$STIPPLE_HOME/wrk.out")"
    line="{\"round\":$round,\"load_average\":$load,\"postgres\":[$pg],\"gateway\":$gw,$(round_costs "$cpu_before" "$pg_cpu_before" "$commits_before" "$gw" "$jit_before"),\"postgres_waits\":{$waits}}"
  else
    gw="$(wrk_round)"
    line="{\"round\":$round,\"load_average\":$load,\"postgres\":[$pg],\"gateway\":$gw,$(round_costs "$cpu_before" "$pg_cpu_before" "$commits_before" "$gw" "$jit_before")}"
  fi
  accepted=$((accepted + $(accepted_of "$gw")))
  echo "$line" >&2
  results+=("$line")
done
wait "$checks_pid"
checks_answers > "$STIPPLE_HOME/checks.out"
# wrk stops with up to CONNECTIONS requests in flight, which the gateway still stores but wrk never counts:
# so jobs lie between the 202s seen and that many more per wrk run (the warm-up's parts, and the rounds).
in_flight_bound=$((accepted + CONNECTIONS * (ROUNDS + wrk_runs)))
# Counts: every 202 is one job (wrk's errors, if any, are requests whose answer it never saw), the relay
# has published every row, the slot counter matches the jobs, the limit and the keys held under load.
drained_after=null
for second in $(seq 0 60); do
  published="$("${PSQL[@]}" -At -c "SELECT count(*) FROM gateway.outbox WHERE sent_at IS NULL")"
  [ "$published" = 0 ] && { drained_after=$second; break; }
  [ "$second" = 60 ] || sleep 1
done
# The relay over this run, per second of its outbox rows' created_at and sent_at (sent_at: the claiming round's start):
# the largest backlog (rows written, not yet sent), and its rate while a backlog existed, i.e. in the seconds that
# began with at least BACKLOG_ROWS (default 1,000: two rounds' worth) unsent rows; drained_after_end_s: seconds from
# the last round's end (and the checks) until none was unsent (null: not within 60 s).
relay="$("${PSQL[@]}" -At -c "
  WITH r AS (SELECT created_at, sent_at FROM gateway.outbox WHERE id > $outbox_id_before),
  made AS (SELECT date_trunc('second', created_at) AS s, count(*) AS n FROM r GROUP BY 1),
  sent AS (SELECT date_trunc('second', sent_at) AS s, count(*) AS n FROM r WHERE sent_at IS NOT NULL GROUP BY 1),
  span AS (SELECT min(s) AS t0, max(s) AS t1 FROM (SELECT s FROM made UNION ALL SELECT s FROM sent) x),
  per AS (SELECT g.s, coalesce(made.n, 0) AS made, coalesce(sent.n, 0) AS sent
            FROM span, generate_series(span.t0, span.t1, interval '1 second') AS g(s)
            LEFT JOIN made ON made.s = g.s LEFT JOIN sent ON sent.s = g.s),
  backlog AS (SELECT sent, coalesce(sum(made - sent) OVER (ORDER BY s ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS unsent_at_start FROM per)
  SELECT json_build_object('rows_published', (SELECT count(*) FROM r WHERE sent_at IS NOT NULL),
    'max_unsent', coalesce(max(unsent_at_start), 0),
    'backlog_seconds', count(*) FILTER (WHERE unsent_at_start >= ${BACKLOG_ROWS:-1000}),
    'rows_per_second_in_backlog', round(sum(sent) FILTER (WHERE unsent_at_start >= ${BACKLOG_ROWS:-1000})::numeric
                                        / nullif(count(*) FILTER (WHERE unsent_at_start >= ${BACKLOG_ROWS:-1000}), 0)),
    'drained_after_end_s', $drained_after) FROM backlog")"
echo "relay: $relay" >&2
jobs=$(( $("${PSQL[@]}" -At -c "SELECT count(*) FROM gateway.jobs WHERE tenant_id = 'bench' AND idempotency_key IS NULL") - jobs_before ))
keyed="$("${PSQL[@]}" -At -c "SELECT count(*) FROM gateway.jobs WHERE tenant_id = 'bench' AND idempotency_key LIKE 'bench-idem-$RUN_ID-%'")"
slots="$("${PSQL[@]}" -At -c "SELECT active_jobs - (SELECT count(*) FROM gateway.jobs WHERE tenant_id = 'bench') FROM gateway.tenants WHERE id = 'bench'")"
limited_jobs=$(( $("${PSQL[@]}" -At -c "SELECT count(*) FROM gateway.jobs WHERE tenant_id = 'benchlimited'") - limited_before ))
limited_202="$(grep -c '^202 ' "$STIPPLE_HOME/checks.out" || true)"
limited_429="$(grep -c '^429 ' "$STIPPLE_HOME/checks.out" || true)"
key_pairs_same="$(grep '^key' "$STIPPLE_HOME/checks.out" | sort | awk '$2 == 202 {ids[$1] = ids[$1] " " $3; n[$1]++} END {same = 0; for (k in n) {split(ids[k], a, " "); if (n[k] == 2 && a[1] == a[2]) same++} print same}')"
other_tenant="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $LIMITED_KEY" \
  "http://127.0.0.1:$GATEWAY_PORT/v1/jobs/$(jq -r .id "$STIPPLE_HOME/smoke.json")")"
counts_ok=false
if [ "$published" = 0 ] && [ "$keyed" = 10 ] && [ "$key_pairs_same" = 10 ] && [ "$slots" = 0 ] \
   && [ "$limited_jobs" = "$LIMITED_MAX" ] && [ "$limited_202" = "$LIMITED_MAX" ] && [ "$limited_429" = $((LIMITED_MAX * 3)) ] \
   && [ "$other_tenant" = 404 ] && [ "$jobs" -ge "$accepted" ] && [ "$jobs" -le "$in_flight_bound" ]; then counts_ok=true; fi
if [ "${PROFILE:-0}" = 1 ]; then
  jcmd "$GATEWAY_PID" JFR.stop name=bench >/dev/null 2>&1 || true
  python3 "$ROOT/benchmarks/jfr-breakdown.py" "$STIPPLE_HOME/gateway.jfr" >&2 || true
fi
# Group commit (SubmissionBatcher's metric; absent in builds before it): statements and the submissions they wrote.
batches="$(curl -s "http://127.0.0.1:$((GATEWAY_PORT + 1000))/q/metrics" | awk '
  /^stipple_gateway_submissions_batch_size_count/ {n = $NF} /^stipple_gateway_submissions_batch_size_sum/ {s = $NF}
  /^stipple_gateway_submissions_batch_size_max/ {m = $NF}
  END {if (n == "") print "null"; else printf "{\"statements\":%d,\"submissions\":%d,\"per_statement\":%.2f,\"recent_max\":%d}", n, s, (n > 0 ? s / n : 0), m}')"
checks="{\"counts_ok\":$counts_ok,\"accepted_202\":$accepted,\"jobs_stored\":$jobs,\"outbox_unsent\":$published,\"slot_counter_minus_jobs\":$slots,\"keyed_jobs\":$keyed,\"keys_answered_with_one_job\":$key_pairs_same,\"limited_tenant\":{\"limit\":$LIMITED_MAX,\"sent\":$((LIMITED_MAX * 4)),\"accepted\":$limited_202,\"refused_429\":$limited_429,\"jobs\":$limited_jobs},\"other_tenants_job\":$other_tenant}"
echo "{\"benchmark\":\"gateway\",\"date\":\"$(date -u +%FT%TZ)\",\"connections\":$CONNECTIONS,\"threads\":$THREADS,\"seconds_each\":$SECONDS_EACH,\"checks\":$checks,\"submission_batches\":$batches,\"relay\":$relay,\"warmup\":$warmup,\"cold\":$cold,\"gateway_idle_cpu_ms_per_second\":$idle_ms_per_second,\"rounds\":[$(IFS=,; echo "${results[*]}")]}"
[ "$counts_ok" = true ] || { echo "count checks failed: $checks" >&2; exit 1; }
