#!/usr/bin/env python3
"""Client half of benchmarks/e2e-overhead.sh: submits generation jobs one at a time to the gateway,
polls each until it is finished, and prints one JSON line per job (client wall time, the job's
own timestamps, and the wall-clock instants the POST was sent and the finished job seen, which
benchmarks/e2e-hops.py lines up with the services' logs). Standard library only.

Usage: e2e-client.py GATEWAY_URL API_KEY COUNT [SEED_BASE]
Environment: E2E_POLL_MS, the polling interval (default 20 ms; the finished state is seen on average
half of it late, plus one GET).
"""
import json
import os
import sys
import time
import urllib.request
from datetime import datetime

POLL_SECONDS = float(os.environ.get("E2E_POLL_MS", "20")) / 1000
TERMINAL = {"succeeded", "failed", "canceled"}


def call(url, key, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="GET" if body is None else "POST",
                                     headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


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
        posted_at = time.time()
        started = time.monotonic()
        job = call(base + "/v1/generations", key, body)
        while job["status"] not in TERMINAL:
            time.sleep(POLL_SECONDS)
            job = call(base + "/v1/jobs/" + job["id"], key)
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
