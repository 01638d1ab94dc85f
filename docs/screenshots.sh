#!/bin/sh
# Writes the console's screenshots in docs/images from real windows on a virtual display:
#   console-<tab>-<theme>.png  every tab in dark, light and contrast, rehearsing sentiment-crash at
#                              20x for 20 s (past its automatic rollback at about 5:19)
#   dashboard.png              the README's dashboard
#   console-wall-{6,12,24}-dark.png   the wall with 6 PoPs and 12 (bench-large) at 1320x820, 24 at 1600x1000
#   console-variant-rolled-back-dark.png  the dashboard's two offer-banner tiles: control, with the sessions moved
#                              in, and the rolled-back treatment (cut from console-dashboard-dark.png with the JDK)
#   console-offline-bundle-dark.png       a diagnostic bundle opened offline
#   console-decision-budget-dark.png  the decision budget tile during acquirer-slowdown (docs/DECISION-BUDGET.md)
#   console-baselines-dark.png   the PoP tiles coloured against each PoP's normal during jitter-storm (docs/BASELINES.md)
#   console-cost-dark.png        the cost tile during cost-storm (docs/COST.md)
#   console-fleet-dark.png       the Fleet tab on a real aggregator of three nodes (one stopped) on an in-process broker
#   console-decision-budget-live-dark.png  a LIVE console on a `serve --live` node that `load` drives through
#                              acquirer-slowdown at 5x: the decision budget tile from the checkouts' stage times
#   console-approval-held-dark.png, console-approval-requests-dark.png, console-flag-history-dark.png
#                              two people's consoles on a `serve --live` node with approval lanes (ApprovalShowcase)
# Each shot starts from its own throwaway settings, so no shot inherits another's theme or window.
# Needs xvfb-run; builds the console first if the sources changed (./edgedeck does).
set -eu
cd "$(dirname "$0")/.."
out=docs/images

shot() { # file width height [console options]; $settings: more settings, e.g. '"tileColouring": "adaptive", '
  file=$1; width=$2; height=$3; shift 3
  config=$(mktemp -d)
  printf '{%s"operator": "stage-producer", "windowWidth": %s, "windowHeight": %s}\n' "${settings:-}" "$width" "$height" \
    > "$config/settings.json"
  JAVA_TOOL_OPTIONS="-Dedgedeck.config.dir=$config" xvfb-run -a -s "-screen 0 1600x1000x24" \
    ./edgedeck --screenshot "$file" "$@" 2>&1 | grep -v "^Picked up JAVA_TOOL_OPTIONS" || true
  rm -rf "$config"
}

crash() { # file theme tab
  shot "$1" 1320 820 --rehearsal sentiment-crash --speed 20 --theme "$2" --tab "$3" --exit-after 20
}

./edgedeck --help > /dev/null  # builds now, once, if anything changed
for theme in dark light contrast; do
  for tab in dashboard flags guardrails timeline jitter rehearsal settings; do
    crash "$out/console-$tab-$theme.png" "$theme" "$tab"
  done
done
cp "$out/console-dashboard-dark.png" "$out/dashboard.png"

shot "$out/console-wall-6-dark.png" 1320 820 --rehearsal pop-outage --speed 10 --theme dark --exit-after 45
shot "$out/console-wall-12-dark.png" 1320 820 --rehearsal bench-large --speed 5 --theme dark --exit-after 40
shot "$out/console-wall-24-dark.png" 1600 1000 --rehearsal docs/scenarios/wall-24.json --speed 5 --theme dark --exit-after 30

# The variant tiles are the second row's middle two at 1320x820 (the decision budget tile is the row's first).
# The JDK's own image classes cut them out, so no other tool is needed.
crop=$(mktemp -d)
cat > "$crop/Crop.java" <<'JAVA'
import java.io.File;
import javax.imageio.ImageIO;

/** Crop IN OUT WIDTH HEIGHT X Y: writes the rectangle of the PNG IN at X, Y as the PNG OUT. */
class Crop {
    public static void main(String[] a) throws Exception {
        var image = ImageIO.read(new File(a[0]));
        ImageIO.write(image.getSubimage(Integer.parseInt(a[4]), Integer.parseInt(a[5]), Integer.parseInt(a[2]),
                Integer.parseInt(a[3])), "png", new File(a[1]));
    }
}
JAVA
"${JAVA_HOME:+$JAVA_HOME/bin/}java" -Djava.awt.headless=true "$crop/Crop.java" "$out/console-dashboard-dark.png" \
  "$out/console-variant-rolled-back-dark.png" 622 162 346 294
rm -rf "$crop"

bundle=$(mktemp -d)/crash.zip
"${JAVA_HOME:+$JAVA_HOME/bin/}java" -jar simulator/target/edgedeck-sim.jar bundle --scenario sentiment-crash --until 400 \
  --out "$bundle" > /dev/null
shot "$out/console-offline-bundle-dark.png" 1320 820 --bundle "$bundle" --tab dashboard --theme dark --exit-after 8
rm -rf "$(dirname "$bundle")"

shot "$out/console-decision-budget-dark.png" 1320 820 --rehearsal acquirer-slowdown --speed 20 --theme dark --exit-after 18
settings='"tileColouring": "adaptive", '
shot "$out/console-baselines-dark.png" 1320 820 --rehearsal jitter-storm --speed 20 --theme dark --exit-after 14
settings=
shot "$out/console-cost-dark.png" 1320 820 --rehearsal docs/scenarios/cost-storm.json --speed 10 --theme dark --exit-after 33

# The Fleet tab on a real aggregator: FleetShowcase (simulator tests) runs an in-process Kafka broker, three
# live nodes fed with request latencies and the aggregator; node-c stops after 20 s, so it reads silent.
# 900 high: the tab's cue control, both tables and the heading whole.
# edge-client's classes from this build (./edgedeck built them) go before the classpath's, which names the
# edge-client jar last installed in the local repository, perhaps older than the simulator's sources.
fleet=$(mktemp -d)
if ! ./mvnw -q -B -pl simulator test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$fleet/classpath" -Dedgedeck.aot.skip=true > "$fleet/build.log" 2>&1; then
  cat "$fleet/build.log" >&2  # the build failed: say why
  exit 1
fi
"${JAVA_HOME:+$JAVA_HOME/bin/}java" --sun-misc-unsafe-memory-access=allow \
  -cp "simulator/target/test-classes:simulator/target/classes:edge-client/target/classes:$(cat "$fleet/classpath")" \
  io.edgedeck.simulator.fleet.FleetShowcase 0 "$fleet/data" 20 > "$fleet/log" 2>&1 &
showcase=$!
until grep -qs "^stopped node-c" "$fleet/log"; do
  kill -0 "$showcase" 2>/dev/null || { cat "$fleet/log" >&2; exit 1; }  # the showcase ended early: say why
  sleep 1
done
sleep 12
# shellcheck disable=SC2046  # the line is "--connect URL --token-file FILE": three words
shot "$out/console-fleet-dark.png" 1320 900 $(sed -n 's/^--connect /--connect /p' "$fleet/log") --tab fleet --theme dark --exit-after 8
kill "$showcase"
rm -rf "$fleet"

# The decision budget live: a node on the show's clock at 5x, fed by `load` at the same speed (at 10x a busy
# machine's load falls minutes of the show behind the node's clock); the console connects as the load starts and
# is photographed 75 s later, past 6:15 of the show, inside the acquirer's slowdown (5:00 to 9:00) at iad and ord.
budget=$(mktemp -d)
"${JAVA_HOME:+$JAVA_HOME/bin/}java" -jar simulator/target/edgedeck-sim.jar serve --live --node-config acquirer-slowdown --speed 5 \
  --data-dir "$budget/node" --port 0 > "$budget/serve.log" 2>&1 &
node=$!
until grep -qs "^  console " "$budget/serve.log"; do
  kill -0 "$node" 2>/dev/null || { cat "$budget/serve.log" >&2; exit 1; }  # the node did not start: say why
  sleep 1
done
url=$(sed -n 's/^  console *--connect \([^ ]*\) .*/\1/p' "$budget/serve.log")
"${JAVA_HOME:+$JAVA_HOME/bin/}java" -jar simulator/target/edgedeck-sim.jar load --target "$url" --scenario acquirer-slowdown \
  --key-dir "$budget/node" --speed 5 > "$budget/load.log" 2>&1 &
load=$!
shot "$out/console-decision-budget-live-dark.png" 1320 820 --connect "$url" --token-file "$budget/node/token" --theme dark --exit-after 75
kill "$load" "$node" 2>/dev/null || true
wait "$node" 2>/dev/null || true
rm -rf "$budget"

# Two people and a change held for approval: ApprovalShowcase (console tests) starts a `serve --live` node with
# examples/node-config.json and approval lanes, adds alice (operator) and bob (approver), opens a console window
# for each (1320x820, dark) and writes the three PNGs at the moments README shows. The reactor names each
# module's classes from this build.
approvals=$(mktemp -d)
if ! ./mvnw -q -B -pl console-app -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$approvals/classpath" -Dedgedeck.aot.skip=true > "$approvals/build.log" 2>&1; then
  cat "$approvals/build.log" >&2
  exit 1
fi
if ! xvfb-run -a -s "-screen 0 1600x1000x24" "${JAVA_HOME:+$JAVA_HOME/bin/}java" \
  -cp "console-app/target/test-classes:console-app/target/classes:$(cat "$approvals/classpath")" \
  io.edgedeck.console.ApprovalShowcase docs/examples/node-config.json "$approvals/work" "$out" > "$approvals/log" 2>&1; then
  cat "$approvals/log" >&2
  exit 1
fi
grep "^Wrote" "$approvals/log"
rm -rf "$approvals"
