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

With the DEBUG lines of io.stipple.tracing.kafka (KafkaRecordTimes: a record sent, and polled by the receiver's
Kafka client), each hop between two services splits into the sender's time until its producer send, Kafka's
(send -> the receiver's poll returned it) and the receiver's after it:
  accepted_to_sent, requests_kafka, requests_polled_to_queued        (accepted_to_queued)
  dispatched_to_sent, work_kafka, work_polled_to_taken               (dispatched_to_taken)
  result_kafka, result_polled_to_succeeded  (done_to_succeeded; the worker logs "done" after sending the success)
  succeeded_to_sent, status_kafka, status_polled_to_seen             (succeeded_to_seen)

Each job's own engine time, as the worker measured it (its "done" line since the workerjob session: the batch's
sampling plus the job's PNGs, what `stipple-engine bench-batching` times for a job alone), gives a second overhead
figure, per job and from the same run: client time minus that job's engine time ("own_engine": its median and max
over the jobs, and how many were over 0.5 s; the worker's split of running -> done: before sampling, sampling, PNG,
upload, success sent). Lines of older workers have no engine time: "own_engine" is then null.

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
# Kafka client lines (KafkaRecordTimes), keyed by job id: (log file, event, the line's text before "key <id>", the
# event it is looked for from); the first matching line at or after that event's instant wins, or with "-" after
# the event the last one at or before it: the worker's success is the last of the job's events polled before the
# scheduler's "succeeded" (the worker's "done" line and its producer's send race each other)
KAFKA_EVENTS = [
    ("gateway.log", "requests_sent", "kafka sending stipple.jobs.requests", "accepted"),
    ("scheduler.log", "requests_polled", r"kafka polled stipple.jobs.requests-\d+@\d+", "requests_sent"),
    ("scheduler.log", "work_sent", "kafka sending stipple.work.generation", "dispatched"),
    ("gpu-worker.log", "work_polled", r"kafka polled stipple.work.generation-\d+@\d+", "work_sent"),
    ("scheduler.log", "result_polled", r"kafka polled stipple.jobs.events-\d+@\d+", "succeeded-"),
    ("gpu-worker.log", "result_sent", "kafka sending stipple.jobs.events", "result_polled-"),
    ("scheduler.log", "status_sent", "kafka sending stipple.jobs.status", "succeeded"),
    ("gateway.log", "status_polled", r"kafka polled stipple.jobs.status-\d+@\d+", "status_sent"),
]
KAFKA_LINE = re.compile(r" \[\S+\] \(.*?\) (kafka (?:sending|polled) \S+) key ([0-9a-f-]{36})\b")
HOPS = [("post_to_accepted", "posted", "accepted"), ("accepted_to_queued", "accepted", "queued"),
        ("queued_to_dispatched", "queued", "dispatched"), ("dispatched_to_taken", "dispatched", "taken"),
        ("taken_to_running", "taken", "running"), ("running_to_done", "running", "done"),
        ("done_to_succeeded", "done", "succeeded"), ("succeeded_to_seen", "succeeded", "seen"),
        ("dispatched_to_running", "dispatched", "running"),
        ("accepted_to_sent", "accepted", "requests_sent"), ("requests_kafka", "requests_sent", "requests_polled"),
        ("requests_polled_to_queued", "requests_polled", "queued"),
        ("dispatched_to_sent", "dispatched", "work_sent"), ("work_kafka", "work_sent", "work_polled"),
        ("work_polled_to_taken", "work_polled", "taken"),
        ("result_kafka", "result_sent", "result_polled"),
        ("result_polled_to_succeeded", "result_polled", "succeeded"),
        ("succeeded_to_sent", "succeeded", "status_sent"), ("status_kafka", "status_sent", "status_polled"),
        ("status_polled_to_seen", "status_polled", "seen")]
JOB = re.compile(r"\bjob ([0-9a-f-]{36})(.*)$")
# the worker's "done" line: "... images in 0.383 s (engine 0.331 s: sampling 0.320, PNG 0.011; before sampling 0.004,
# upload 0.020, success sent 0.001)"
WORKER_SPLIT = re.compile(r" attempt \d+: \d+ images in [0-9.]+ s \(engine ([0-9.]+) s: sampling ([0-9.]+), [a-zA-Z ]+ "
                          r"([0-9.]+); before sampling ([0-9.]+), upload ([0-9.]+), success sent ([0-9.]+)\)")
WORKER_PARTS = ["engine", "sampling", "png", "before_sampling", "upload", "success_sent"]


def at(stamp):
    return datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f").timestamp()


def instants(log_dir, jobs):
    found = {job: {} for job in jobs}
    kafka = {}  # (file, job) -> [(instant, "kafka sending <topic>" or "kafka polled <topic>-p@o")]
    files = {file for file, _, _ in EVENTS} | {file for file, _, _, _ in KAFKA_EVENTS}
    for file in files:
        path = Path(log_dir) / file
        if not path.exists():
            continue
        for line in path.read_text(errors="replace").splitlines():
            stamp = STAMP.match(line)
            if not stamp:
                continue
            record = KAFKA_LINE.search(line)
            if record and record.group(2) in found:
                kafka.setdefault((file, record.group(2)), []).append((at(stamp.group(1)), record.group(1)))
                continue
            job = JOB.search(line)
            if job and job.group(1) in found:
                split = WORKER_SPLIT.search(job.group(2)) if file == "gpu-worker.log" else None
                if split and "worker" not in found[job.group(1)]:
                    found[job.group(1)]["worker"] = dict(zip(WORKER_PARTS, map(float, split.groups())))
                for event_file, event, pattern in EVENTS:
                    if event_file == file and pattern.search(job.group(2)):
                        found[job.group(1)].setdefault(event, at(stamp.group(1)))
    for job, events in found.items():
        for file, event, pattern, anchor in KAFKA_EVENTS:
            before = anchor.endswith("-")
            anchor = anchor.rstrip("-")
            if events.get(anchor) is None:
                continue
            # one clock, millisecond stamps: a line in the same millisecond as its anchor counts on either side
            lines = [t for t, text in kafka.get((file, job), []) if re.fullmatch(pattern, text)]
            if before:
                events[event] = max((t for t in lines if t <= events[anchor]), default=None)
            else:
                events[event] = min((t for t in lines if t >= events[anchor]), default=None)
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
    worker = {}  # job -> the worker's split of its running -> done, seconds
    for client in clients:
        at = dict(found[client["job"]], posted=client.get("posted_at"), seen=client.get("seen_at"))
        worker[client["job"]] = at.pop("worker", {})
        hops = {name: (at[b] - at[a]) if at.get(a) is not None and at.get(b) is not None else None
                for name, a, b in HOPS}
        per_job.append({"job": client["job"], **{k: None if v is None else round(v * 1000, 1) for k, v in hops.items()}})
    # client time minus the job's own engine time, both of the same job
    own = [c["client_seconds"] - worker[c["job"]]["engine"] for c in clients if "engine" in worker[c["job"]]]
    own_engine = None if not own else {
        "overhead": summary(own), "jobs_over_half_second": sum(1 for v in own if v > 0.5),
        "worker": {part: summary([w.get(part) for w in worker.values()]) for part in WORKER_PARTS}}
    for job in per_job:
        split = worker[job["job"]]
        job["worker_ms"] = {part: round(split[part] * 1000, 1) for part in WORKER_PARTS} if split else None
    print(json.dumps({"hops": {name: summary([j[name] / 1000 if j[name] is not None else None for j in per_job])
                               for name, _, _ in HOPS}, "own_engine": own_engine, "jobs": per_job}))


if __name__ == "__main__":
    main()
