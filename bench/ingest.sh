#!/usr/bin/env bash
# Ingest benchmark: bench/ingest.sh [EVENTS=5000000] [PARALLELISM=2] [CATALOG=filesystem] [INTERVAL=10s]
# Loads EVENTS synthetic JSON events into a fresh 8-partition topic on a local broker and times a
# bounded pipeline into a fresh Delta table, printing records/s, MB/s, data files, peak RSS and the
# commits' latency p50/p99 per phase. CATALOG: filesystem (a table path) or unity (a Unity Catalog
# table on the embedded catalog server); INTERVAL: the checkpoint, and so commit, interval.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/sluice" --build-only
exec java -Xmx1g -cp "$root/bench/target/classes:$(cat "$root/bench/target/sluice.classpath")" \
  io.sluice.service.internal.IngestBenchmark "${1:-5000000}" "${2:-2}" "${3:-filesystem}" "${4:-10s}"
