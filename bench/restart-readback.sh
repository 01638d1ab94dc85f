#!/usr/bin/env bash
# How long a live node takes to start again on a data directory whose ingest log covers a long show:
# builds a directory that has run HOURS (bench/RestartLog.java: quiet hours, sparse stretches with a
# small batch every 30-120 s, three dense 45-minute shows with a batch of 6 latencies per PoP a
# second), then restarts a copy of it RUNS times with each jar given, interleaved, and prints per run
# the wall time from launch to /healthz answering 200 and the ingest log's read-back (from the node's
# first log line, which it writes as it tightens the directory's permissions, loosened here on
# purpose, to its "Fed N events from the ingest log" line). Each run's live-epoch is set so that the
# journal's last clock is a second or two old, as for a node restarted at once.
#
# Usage: bench/restart-readback.sh [JAR ...]    (default simulator/target/edgedeck-sim.jar)
#   HOURS=24, POPS=fra,ams,iad, RUNS=3, QUIET=1 for no shows (sparse stretches only), JAVA_HOME as for the build.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
HOURS="${HOURS:-24}"; POPS="${POPS:-fra,ams,iad}"; RUNS="${RUNS:-3}"
[ "$#" -eq 0 ] && set -- simulator/target/edgedeck-sim.jar
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
python3 - "$POPS" > "$WORK/node.json" <<'PY'
import json, sys
ids = sys.argv[1].split(",")
print(json.dumps({"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "restart-bench",
                  "pops": [{"id": i, "region": "eu"} for i in ids], "defaultPop": ids[0],
                  "ingest": {"maxBatchEvents": 5000, "maxBatchBytes": 4194304, "maxEventsPerSecond": 1000000}}))
PY
port() { echo $((20000 + RANDOM % 40000)); }
healthy() { curl -s -o /dev/null -w '%{http_code}' "localhost:$1/healthz" 2>/dev/null | grep -q 200; }
# a new node's directory, started once and stopped, then made to have run HOURS
P=$(port); "$JAVA" -jar "$1" serve --live --node-config "$WORK/node.json" --data-dir "$WORK/template" --port "$P" > "$WORK/first.out" 2>&1 &
pid=$!; until healthy "$P"; do sleep 0.1; done; kill "$pid"; wait "$pid" || true; rm -f "$WORK/template/node.lock"
"$JAVA" -cp "$1" bench/RestartLog.java "$WORK/template" "$HOURS" "$POPS" ${QUIET:+quiet}
ms() { awk -F'[:.]' '{print (($1*60+$2)*60+$3)*1000+$4}' <<< "$1"; }
echo "# $(date -u +%FT%TZ) $(nproc) cores, $HOURS h, PoPs $POPS"
for run in $(seq "$RUNS"); do
    for jar in "$@"; do
        R="$WORK/run"; rm -rf "$R"; cp -a "$WORK/template" "$R"; chmod 755 "$R"
        echo $(( $(date +%s%3N) - HOURS * 3600000 )) > "$R/live-epoch"
        P=$(port); load=$(cut -d' ' -f1 /proc/loadavg); t0=$(date +%s%3N)
        "$JAVA" -Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS \
            -jar "$jar" serve --live --node-config "$WORK/node.json" --data-dir "$R" --port "$P" > "$R.out" 2>&1 &
        pid=$!; until healthy "$P"; do sleep 0.02; done; t1=$(date +%s%3N); kill "$pid"; wait "$pid" || true
        first=$(grep -m1 OwnerOnlyFiles "$R.out" | cut -d' ' -f1); fed=$(grep -m1 'Fed ' "$R.out" | cut -d' ' -f1)
        echo "$jar run $run: healthz $((t1 - t0)) ms, read-back $(( $(ms "$fed") - $(ms "$first") )) ms, load $load"
    done
done
