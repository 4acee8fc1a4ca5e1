#!/usr/bin/env python3
"""Client half of benchmarks/e2e-overhead.sh: submits generation jobs one at a time to the gateway,
follows each, as a client of the API would, until it has the finished job (its
result links), and prints one JSON line per job (client wall time, the job's own timestamps, and the
wall-clock instants the POST was sent and the finished job read, which benchmarks/e2e-hops.py lines up
with the services' logs). Standard library only.

Usage: e2e-client.py GATEWAY_URL API_KEY COUNT [SEED_BASE]
Environment: E2E_WATCH, how the client follows a job: "sse" (default; GET /v1/jobs/{id}/events until
the terminal event, whose "job" is the finished job with its outputs; a GET of the job only from a gateway
whose terminal event has none) or "poll" (GET /v1/jobs/{id} every
E2E_POLL_MS, default 20 ms: the finished state is seen on average half of it late, plus one GET; what
the benchmark did before the stream was pushed); E2E_STEPS, the jobs' denoising steps (default: the
gateway's), which e2e-overhead.sh lowers for its warm-up jobs: the services' path is the same, the engine's
share shorter.
"""
import json
import os
import sys
import time
import urllib.request
from datetime import datetime

POLL_SECONDS = float(os.environ.get("E2E_POLL_MS", "20")) / 1000
WATCH = os.environ.get("E2E_WATCH", "sse")
STEPS = os.environ.get("E2E_STEPS")
TERMINAL = {"succeeded", "failed", "canceled"}


def call(url, key, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="GET" if body is None else "POST",
                                     headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def follow_events(url, key):
    """Reads the job's event stream until its terminal event (the stream ends after it) and returns that
    event's data; a data field is one line, as the gateway writes it."""
    request = urllib.request.Request(url, headers={"Authorization": "Bearer " + key, "Accept": "text/event-stream"})
    name = None
    with urllib.request.urlopen(request, timeout=60) as response:
        for raw in response:
            line = raw.decode().rstrip("\r\n")
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:") and name in TERMINAL:
                return json.loads(line[5:])
            elif not line:
                name = None
    return {}


def wait_until_finished(base, key, job):
    if WATCH == "sse":
        terminal = follow_events(base + "/v1/jobs/" + job["id"] + "/events", key)
        return terminal.get("job") or call(base + "/v1/jobs/" + job["id"], key)
    while job["status"] not in TERMINAL:
        time.sleep(POLL_SECONDS)
        job = call(base + "/v1/jobs/" + job["id"], key)
    return job


def seconds_between(start, end):
    if start is None or end is None:
        return None
    parse = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))
    return (parse(end) - parse(start)).total_seconds()


def main():
    base, key, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    seed_base = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    for i in range(count):
        # the gateway's defaults (model, sampler, steps, guidance, size) are the engine benchmark's too
        body = {"prompt": "a small red circle in the center on a white background", "seed": seed_base + i}
        if STEPS:
            body["steps"] = int(STEPS)
        posted_at = time.time()
        started = time.monotonic()
        job = wait_until_finished(base, key, call(base + "/v1/generations", key, body))
        wall = time.monotonic() - started
        seen_at = time.time()
        print(json.dumps({
            "job": job["id"], "status": job["status"], "client_seconds": round(wall, 4),
            "created_to_queued": seconds_between(job.get("created_at"), job.get("queued_at")),
            "queued_to_started": seconds_between(job.get("queued_at"), job.get("started_at")),
            "started_to_completed": seconds_between(job.get("started_at"), job.get("completed_at")),
            "created_to_completed": seconds_between(job.get("created_at"), job.get("completed_at")),
            "posted_at": round(posted_at, 4), "seen_at": round(seen_at, 4),
        }), flush=True)


if __name__ == "__main__":
    main()
