#!/usr/bin/env bash
# Service soak: bench/serve-soak.sh [MINUTES=30] [RATE=1000]
# Runs three pipelines of different shapes (partitioned by event_type with a 1 s checkpoint; a
# dedupe with the rocksdb state backend; source.on-error: dead-letter with malformed events) in one
# `sluice serve` process for MINUTES minutes while a producer per pipeline sends RATE synthetic
# events/s into its own 4-partition topic on a local broker. Every minute it prints the serve JVM's
# RSS, open file descriptors and threads, and per pipeline the table's version, live data files,
# data files on disk, `_delta_log` bytes, checkpoint directory bytes, the state and lag the admin
# API reports and the events produced. At the end it stops serve with SIGTERM and fails unless every
# table holds each of its events exactly once, every pipeline stayed RUNNING without a restart and
# serve exited cleanly. SLUICE_JAVA_OPTS: the serve JVM's options (default -Xmx2g); SOAK_KEEP=1
# keeps the work directory. Not run in CI: it takes MINUTES minutes.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/sluice" --build-only
exec java -Xmx1g -cp "$root/bench/target/classes:$(cat "$root/bench/target/sluice.classpath")" \
  io.sluice.service.internal.ServeSoak "${1:-30}" "${2:-1000}"
