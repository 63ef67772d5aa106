#!/usr/bin/env bash
# Dedupe benchmark: bench/dedupe.sh [EVENTS=1000000] [heap|rocksdb] [PARALLELISM=2]
# Loads EVENTS distinct synthetic JSON events plus EVENTS/4 re-sent duplicates into a fresh topic
# on a local broker and times a bounded pipeline deduplicating by event id into a fresh Delta
# table, printing input records/s, duplicates dropped, checkpoint sizes and durations, peak RSS.
# SLUICE_JAVA_OPTS sets the pipeline JVM's options (default -Xmx2g); CHECKPOINT_INTERVAL its
# checkpoint interval (default 10s).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/sluice" --build-only
exec java -Xmx1g -cp "$root/bench/target/classes:$(cat "$root/bench/target/sluice.classpath")" \
  io.sluice.service.internal.DedupeBenchmark "${1:-1000000}" "${2:-heap}" "${3:-2}"
