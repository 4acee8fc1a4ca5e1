#!/bin/sh
# Creates Stipple's Kafka topics, idempotently. Used by docker-compose (service kafka-init) and by
# Kubernetes (init container of the scheduler), both with the apache/kafka image.
# The names must equal io.stipple.contracts.Topics.ALL (the deploy module's tests check that).
#
# Partitions bound how many consumers of one group can work at once: the work topics get
# STIPPLE_WORK_PARTITIONS (default 24) so that up to that many gpu-workers / trainers share the load.
# Environment: KAFKA_BOOTSTRAP_SERVERS (required), STIPPLE_WORK_PARTITIONS, STIPPLE_EVENT_PARTITIONS,
# STIPPLE_TOPIC_REPLICATION (default 1: single-node Kafka; use 3 on a real cluster),
# STIPPLE_WORKER_POOLS (space-separated worker pool names: each gets its work topic
# stipple.work.generation.<pool>, see docs/deployment.md "Dedicated worker pools").
set -eu
: "${KAFKA_BOOTSTRAP_SERVERS:?KAFKA_BOOTSTRAP_SERVERS must be set}"
work_partitions="${STIPPLE_WORK_PARTITIONS:-24}"
event_partitions="${STIPPLE_EVENT_PARTITIONS:-12}"
replication="${STIPPLE_TOPIC_REPLICATION:-1}"
kafka_topics="${KAFKA_HOME:-/opt/kafka}/bin/kafka-topics.sh"

create() {
  "$kafka_topics" --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create --if-not-exists \
    --topic "$1" --partitions "$2" --replication-factor "$replication"
}

create stipple.jobs.requests     "$event_partitions"
create stipple.work.generation   "$work_partitions"
create stipple.work.finetune     "$work_partitions"
create stipple.work.model-import "$work_partitions"
create stipple.jobs.events       "$event_partitions"
create stipple.jobs.status       "$event_partitions"
create stipple.jobs.control      "$event_partitions"
create stipple.work.dead-letter  "$event_partitions"
for pool in ${STIPPLE_WORKER_POOLS:-}; do
  create "stipple.work.generation.$pool" "$work_partitions"
done
"$kafka_topics" --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --list
