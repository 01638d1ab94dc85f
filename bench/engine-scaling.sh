#!/usr/bin/env bash
# Engine throughput on one core for bench-large and the scaling scenarios under
# simulator/src/test/resources/bench/: a PoP count sweep (3, 12, 48 PoPs, about 100,000 concurrent
# sessions) and a concurrent session sweep (about 10,000, 100,000 and 1,000,000 sessions on 12 PoPs).
# Prints one table row per scenario: the median events/s over RUNS runs, the median over the second
# half of each play (engine time 50% to 100%: the engine compiled and its audience in, without the
# first seconds, when the JIT compiles it on the same core and the audience arrives) and the largest
# resident set.
#
# Usage: bench/engine-scaling.sh [SCENARIO_FILE_OR_NAME ...]
#   RUNS=3 (runs per scenario), CPU=0 (the core to pin to), JAVA_HOME as for the build.
# Needs simulator/target/edgedeck-sim.jar (./mvnw -q -B package -DskipTests), taskset and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
JAR=simulator/target/edgedeck-sim.jar
RUNS="${RUNS:-3}"
CPU="${CPU:-0}"
DIR=simulator/src/test/resources/bench
if [ "$#" -eq 0 ]; then
    set -- bench-large "$DIR/pops-3.json" "$DIR/sessions-100k.json" "$DIR/pops-48.json" \
        "$DIR/sessions-10k.json" "$DIR/sessions-100k-20min.json" "$DIR/sessions-1m.json"
fi
[ -f "$JAR" ] || { echo "missing $JAR: run ./mvnw -q -B package -DskipTests first" >&2; exit 2; }

echo "# $(date -u +%FT%TZ) $(nproc) cores, $("$JAVA" -version 2>&1 | head -1), runs per scenario: $RUNS"
printf '| %-26s | %5s | %12s | %9s | %-32s | %12s | %15s | %11s | %-18s |\n' \
    scenario PoPs events simulated "events/s, each run" "median ev/s" "second half ev/s" "max RSS MB" "load avg before"
printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' --- --- --- --- --- --- --- --- ---
for scenario in "$@"; do
    rates=() halves=() rss=0 load="$(cut -d' ' -f1-3 /proc/loadavg)" summary=""
    for _ in $(seq "$RUNS"); do
        out="$(mktemp)"
        # One core, and a JVM that believes it has one: serial GC, one compiler thread pool sized for it.
        /usr/bin/time -v -o "$out.time" taskset -c "$CPU" "$JAVA" -XX:ActiveProcessorCount=1 \
            -jar "$JAR" run --scenario "$scenario" --speed max >"$out" 2>"$out.err"
        summary="$(head -1 "$out")"
        rate="$(sed -E 's/.*\(([0-9,]+) events\/s\).*/\1/; s/,//g' <<<"$summary")"
        rates+=("$rate")
        # The progress line at 50% ("  50%  155 s simulated, 2,831,112 events, 1.93 s wall") and the
        # whole play (its events over its events/s give its wall time more finely than the summary).
        halves+=("$(awk -v rate="$rate" '
            / 50%  / { gsub(",", "", $5); e50 = $5; w50 = $7 }
            /^events / { gsub(",", "", $2); total = $2 }
            END { if (e50 && rate) printf "%d", (total - e50) / (total / rate - w50) }' "$out.err" "$out")")
        kb="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out.time")"
        [ "$kb" -gt "$rss" ] && rss="$kb"
        events="$(awk '/^events / {print $2}' "$out")"
        pops="$(awk '/^pop / {p=1; next} p && /^variant|^chat/ {p=0} p {n++} END {print n}' "$out")"
        simulated="$(sed -E 's/.*: ([0-9]+) s simulated.*/\1/' <<<"$summary")"
        rm -f "$out" "$out.err" "$out.time"
    done
    median="$(printf '%s\n' "${rates[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
    half="$(printf '%s\n' "${halves[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
    printf '| %-26s | %5s | %12s | %7s s | %-32s | %12s | %15s | %11s | %-18s |\n' \
        "$(basename "$scenario" .json)" "$pops" "$events" "$simulated" "$(IFS=/; echo "${rates[*]}")" \
        "$median" "$half" "$((rss / 1024))" "$load"
done
