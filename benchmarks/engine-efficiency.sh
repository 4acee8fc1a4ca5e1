#!/usr/bin/env bash
# Engine efficiency under several TensorFlow session settings (docs/benchmarks.md). Each setting
# runs in its own process (thread pools and XLA are per process), alternating A B C D, A B C D so
# machine drift hits every setting alike; within each process the model is timed in alternation
# with a 1024^2 fp32 matmul under the same settings, and the ratio of the two is the figure.
#
# Usage: benchmarks/engine-efficiency.sh [OUT.jsonl]  (REPEATS=2, BATCHES=1,8,16,32,64, MODELS=models/stipple-base-16/6)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/benchmarks/engine-efficiency.jsonl}"
REPEATS="${REPEATS:-2}"
BATCHES="${BATCHES:-1,8,16,32,64}"
MODELS="${MODELS:-models/stipple-base-16/6}"
ROUNDS="${ROUNDS:-10}"
ENGINE="${ENGINE:-./stipple-engine}"
cd "$ROOT"
settings=(
  "default|"
  "intra2-inter1|--intra-op 2 --inter-op 1"
  "intra1-inter1|--intra-op 1 --inter-op 1"
  "xla|--intra-op 2 --inter-op 1 --xla"
)
for repeat in $(seq "$REPEATS"); do
  for setting in "${settings[@]}"; do
    name="${setting%%|*}"; flags="${setting#*|}"
    xla_env=""
    if [[ "$flags" == *--xla* ]]; then xla_env="--tf_xla_cpu_global_jit --tf_xla_auto_jit=2"; fi
    json="$(TF_XLA_FLAGS="$xla_env" $ENGINE benchmark efficiency --model "$MODELS" --batches "$BATCHES" \
        --rounds "$ROUNDS" $flags 2>>"$OUT.log" | tee -a "$OUT.log" | tail -1)"
    echo "{\"setting\":\"$name\",\"repeat\":$repeat,\"result\":$json}" | tee -a "$OUT"
  done
done
