#!/usr/bin/env python3
"""Where a Java process spent its CPU, from a JFR recording's execution samples (used by
benchmarks/gateway-throughput.sh PROFILE=1). Prints three tables: samples per thread group, per
component (the library of the innermost frame that belongs to a known one: "self" time by library),
and the project's own methods by inclusive share (how often a method is anywhere on the stack).

Usage: jfr-breakdown.py RECORDING.jfr [TOP=30]
Needs the JDK's `jfr` tool on the PATH.
"""
import collections
import re
import subprocess
import sys

# Innermost matching frame decides a sample's component; first rule that matches wins.
COMPONENTS = [
    ("hashing (MessageDigest, SHA-256)", r"^(sun\.security\.provider|java\.security\.MessageDigest)"),
    ("crypto (other)", r"^(com\.sun\.crypto|javax\.crypto|sun\.security)"),
    ("JSON (Jackson)", r"^com\.fasterxml\.jackson"),
    ("bean validation (Hibernate Validator)", r"^org\.hibernate\.validator"),
    ("Hibernate ORM / Reactive", r"^org\.hibernate"),
    ("transactions (Narayana JTA)", r"^com\.arjuna"),
    ("PostgreSQL client (vertx-pg-client)", r"^io\.vertx\.(pgclient|sqlclient)"),
    ("Kafka client", r"^org\.apache\.kafka"),
    ("REST layer (RESTEasy Reactive)", r"^org\.jboss\.resteasy"),
    ("HTTP, event loop (Vert.x web/core, Netty)", r"^(io\.vertx|io\.netty)"),
    ("context propagation (SmallRye context, ArC)", r"^(io\.smallrye\.context|io\.quarkus\.arc)"),
    ("tracing (OpenTelemetry)", r"^io\.opentelemetry"),
    ("reactive plumbing (Mutiny)", r"^io\.smallrye\.mutiny"),
    ("messaging (SmallRye Reactive Messaging)", r"^io\.smallrye\.reactive"),
    ("metrics (Micrometer)", r"^io\.micrometer"),
    ("logging", r"^(org\.jboss\.logging|org\.jboss\.logmanager)"),
    ("Quarkus (other)", r"^io\.quarkus"),
    ("project code", r"^io\.stipple"),
    ("JDK", r"^(java|javax|jdk|sun)\."),
    # Any other library's frame is its own sample: passed over, it was counted to the next listed frame outwards,
    # which in a Mutiny pipeline was the context-propagation wrapper around every callback (helper session schedpath).
    ("other libraries", r"."),
]
FRAME = re.compile(r"^\s+([\w$.<>]+)\.([\w$<>]+)\(")


def samples(path):
    text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "400", path],
                          capture_output=True, text=True, check=True).stdout
    thread, frames = None, None
    for line in text.splitlines():
        if line.startswith("jdk.ExecutionSample"):
            if frames is not None:
                yield thread, frames
            thread, frames = "?", []
        elif "sampledThread" in line:
            thread = line.split('"')[1] if '"' in line else "?"
        else:
            m = FRAME.match(line)
            if m and frames is not None:
                frames.append(m.group(1) + "." + m.group(2))
    if frames is not None:
        yield thread, frames


def thread_group(name):
    return re.sub(r"[-#]?\d+$", "", re.sub(r"\s*\(.*\)$", "", name)).strip() or name


def component(frames):
    for frame in frames:
        for label, pattern in COMPONENTS:
            if re.match(pattern, frame):
                if label == "JDK":
                    break  # keep looking outwards for the library that called the JDK
                return label
    return "JDK" if frames else "?"


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    threads, components, inclusive = collections.Counter(), collections.Counter(), collections.Counter()
    n = 0
    for thread, frames in samples(path):
        n += 1
        threads[thread_group(thread)] += 1
        components[component(frames)] += 1
        for method in {f for f in frames if f.startswith("io.stipple") and "_ClientProxy" not in f
                       and "$quarkusrestinvoker$" not in f and "_Subclass" not in f}:
            inclusive[method] += 1
    if n == 0:
        print("no execution samples in", path)
        return
    print(f"JFR execution samples: {n}")
    print("by thread:")
    for name, count in threads.most_common(8):
        print(f"  {100 * count / n:5.1f}%  {name}")
    print("by component (innermost library frame):")
    for name, count in components.most_common():
        print(f"  {100 * count / n:5.1f}%  {name}")
    print("project methods, inclusive (anywhere on the stack):")
    for name, count in inclusive.most_common(top):
        print(f"  {100 * count / n:5.1f}%  {name}")


if __name__ == "__main__":
    main()
