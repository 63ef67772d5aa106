#!/usr/bin/env bash
# Soak: bench/soak.sh [MINUTES=30] [RATE=1700] [PARTITION_BY=event_type] [PARALLELISM=2]
# Runs a streaming pipeline with a 1 s checkpoint interval and default compaction and log settings
# for MINUTES minutes while a producer sends RATE synthetic events/s into a 4-partition topic on a
# local broker, and prints every minute the table's version, live data files and bytes, rows, data
# files on disk, `_delta_log` bytes and files (and the bytes of its checkpoints, all and the
# latest), checkpoint directory bytes, the pipeline JVM's RSS and the events produced. At the end
# it stops the pipeline with SIGTERM and fails unless the table holds each event produced exactly
# once. PARTITION_BY: a column (event_type: 10 values, country: 20) or none. LOG_RETENTION (e.g.
# "10 minutes") sets delta.logRetentionDuration (30 days unless set); SLUICE_JAVA_OPTS the pipeline
# JVM's options (default -Xmx2g); SOAK_KEEP=1 keeps the work directory. Not run in CI: it takes
# MINUTES minutes.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/sluice" --build-only
exec java -Xmx1g -cp "$root/bench/target/classes:$(cat "$root/bench/target/sluice.classpath")" \
  io.sluice.service.internal.SoakRun "${1:-30}" "${2:-1700}" "${3:-event_type}" "${4:-2}"
