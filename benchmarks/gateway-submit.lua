-- wrk script for benchmarks/gateway-throughput.sh: POST /v1/generations with a distinct seed per
-- request; prints one JSON line (rate, latency percentiles, non-2xx count) when done.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("STIPPLE_BENCH_API_KEY")

local counter = 0
local threadId = 0
local threads = {}

setup = function(thread)
  threadId = threadId + 1
  thread:set("id", threadId)
  table.insert(threads, thread)
end

request = function()
  counter = counter + 1
  local body = '{"prompt":"a small red circle in the center on a white background","seed":' .. (id * 100000000 + counter) .. '}'
  return wrk.format(nil, "/v1/generations", nil, body)
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format('{"requests":%d,"seconds":%.3f,"per_second":%.1f,"p50_ms":%.2f,"p90_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f,"errors":%d,"non_2xx":%d}\n',
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, bad, summary.errors.status))
end
