#!/usr/bin/env bash
# Sampler efficiency: Frechet distance and attribute adherence vs number of network evaluations
# (NFE) for every sampler, with the engine's own `eval` (docs/benchmarks.md). One guided network
# evaluation = one batched denoise call (conditional and unconditional rows together); Heun makes
# two per step, so it runs NFE/2 steps. DDPM 1000 is the reference.
#
# Usage: benchmarks/sampler-efficiency.sh [OUT.jsonl]   (COUNT=100 captions, GUIDANCE=3 by default)
# CPU-heavy (about 1,500 batched evaluations of 2 x COUNT rows): run it with nohup in the background.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/benchmarks/sampler-efficiency.jsonl}"
COUNT="${COUNT:-100}"
GUIDANCE="${GUIDANCE:-3}"
MODEL="${MODEL:-models/stipple-base-16/6}"
ENGINE="${ENGINE:-./stipple-engine}"  # e.g. a copy of the built engine, so rebuilding during the run cannot disturb it
cd "$ROOT"
run() { # sampler nfe
  local sampler="$1" nfe="$2" steps="$2"
  if [ "$sampler" = heun ]; then steps=$(( nfe / 2 )); nfe=$(( 2 * steps - 1 )); fi  # diffusers' Heun: 2n-1 evaluations
  local load; load="$(cut -d' ' -f1 /proc/loadavg)"
  local json
  json="$($ENGINE eval --model "$MODEL" --count "$COUNT" --real-images 1000 --sampler "$sampler" \
      --steps "$steps" --guidance "$GUIDANCE" 2>>"$OUT.log" | tail -1)"
  echo "{\"sampler\":\"$sampler\",\"nfe\":$nfe,\"load_average\":$load,\"eval\":$json}" | tee -a "$OUT"
}
# the two the aim compares first, then the rest by NFE, so a cut-short run still answers the most
run dpmpp_2m 20
run ddpm 1000
for nfe in 20 10 50; do
  for sampler in dpmpp_2m ddim euler euler_ancestral heun ddpm; do
    if [ "$sampler" = dpmpp_2m ] && [ "$nfe" = 20 ]; then continue; fi
    run "$sampler" "$nfe"
  done
done
