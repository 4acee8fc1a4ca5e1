#!/usr/bin/env python3
"""Per-hop times of benchmarks/e2e-overhead.sh's jobs: lines up each job's client instants (e2e-client.py's
posted_at / seen_at) with the services' log lines for that job (one machine, one clock), and prints one
JSON object: each hop's median and max over the jobs, and the jobs' own hops. Standard library only.

Hops, in a job's order (a service logs a transition just before committing it):
  post_to_accepted          client's POST sent -> gateway "accepted" (the submission's transaction)
  accepted_to_queued        gateway outbox relay, Kafka, the scheduler's request consumer
  queued_to_dispatched      the scheduler's commit of "queued", then its dispatch transaction
  dispatched_to_taken       the scheduler's outbox relay, Kafka, the worker's consumer (DEBUG line of job-runtime)
  taken_to_running          the worker's batcher, until the sampling thread reports running
  running_to_done           the worker's own work: sampling, PNG, upload (compare with the engine's time)
  done_to_succeeded         the worker's event through Kafka into the scheduler
  succeeded_to_seen         the scheduler's outbox relay, Kafka, the gateway's status projection, the client seeing
                            it (its event stream, or its polling) and reading the finished job
  dispatched_to_running     the two hops before running together (when the worker does not log "taken")

Usage: e2e-hops.py LOG_DIR < client lines (JSON, one per job)
"""
import json
import re
import sys
from datetime import datetime
from pathlib import Path

STAMP = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) ")
# (log file, event name, pattern after "job <id>"): the first matching line of a job wins
EVENTS = [
    ("gateway.log", "accepted", re.compile(r" accepted \(")),
    ("scheduler.log", "queued", re.compile(r" queued$")),
    ("scheduler.log", "dispatched", re.compile(r" queued: attempt \d+ dispatched")),
    ("gpu-worker.log", "taken", re.compile(r" attempt \d+ taken")),
    ("gpu-worker.log", "running", re.compile(r" attempt \d+ running \(")),
    ("gpu-worker.log", "done", re.compile(r" attempt \d+: \d+ images in ")),
    ("scheduler.log", "succeeded", re.compile(r" succeeded")),
]
HOPS = [("post_to_accepted", "posted", "accepted"), ("accepted_to_queued", "accepted", "queued"),
        ("queued_to_dispatched", "queued", "dispatched"), ("dispatched_to_taken", "dispatched", "taken"),
        ("taken_to_running", "taken", "running"), ("running_to_done", "running", "done"),
        ("done_to_succeeded", "done", "succeeded"), ("succeeded_to_seen", "succeeded", "seen"),
        ("dispatched_to_running", "dispatched", "running")]
JOB = re.compile(r"\bjob ([0-9a-f-]{36})(.*)$")


def instants(log_dir, jobs):
    found = {job: {} for job in jobs}
    for file, event, pattern in EVENTS:
        path = Path(log_dir) / file
        if not path.exists():
            continue
        for line in path.read_text(errors="replace").splitlines():
            stamp, job = STAMP.match(line), JOB.search(line)
            if stamp and job and job.group(1) in found and pattern.search(job.group(2)):
                found[job.group(1)].setdefault(event, datetime.strptime(stamp.group(1), "%Y-%m-%d %H:%M:%S,%f").timestamp())
    return found


def summary(values):
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    mid = len(values) // 2
    median = values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2
    return {"median_ms": round(median * 1000, 1), "max_ms": round(values[-1] * 1000, 1), "jobs": len(values)}


def main():
    clients = [json.loads(line) for line in sys.stdin if line.strip().startswith("{")]
    found = instants(sys.argv[1], [c["job"] for c in clients])
    per_job = []
    for client in clients:
        at = dict(found[client["job"]], posted=client.get("posted_at"), seen=client.get("seen_at"))
        hops = {name: (at[b] - at[a]) if at.get(a) is not None and at.get(b) is not None else None
                for name, a, b in HOPS}
        per_job.append({"job": client["job"], **{k: None if v is None else round(v * 1000, 1) for k, v in hops.items()}})
    print(json.dumps({"hops": {name: summary([j[name] / 1000 if j[name] is not None else None for j in per_job])
                               for name, _, _ in HOPS}, "jobs": per_job}))


if __name__ == "__main__":
    main()
