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
#   console-triggers-dark.png    the Triggers tab at the end of trigger-audit, seed 7 (docs/TRIGGERS.md)
#   jitter-dark.png              the Jitter tab at 06:00 of jitter-storm (README, docs/JITTER.md)
#   jitter-storm-end.png, jitter-bundle-reopened.png  the Jitter tab at the end of jitter-storm, and the bundle
#                              exported there reopened offline (docs/JITTER.md)
#   encoder-tile.png, sources-panel.png  a LIVE console on a node fed only by connectors (ConnectorsShowcase)
#   live-console-uptime.png      a LIVE console on the example node fed by a few ingest batches sent with curl
#   dashboard-checkout-tokens.png  a LIVE console after one-click tokens accepted and refused (docs/API.md)
#   console-live-viewer.png      a viewer's LIVE console on a rehearsal node: the Flags tab, view only
#   sources-panel-load.png       the Sources tab of a LIVE console on a node that `load` drives (conversion-drop)
#   console-triggers-live-dark.png  the Triggers tab of a LIVE console on a node after `load` played trigger-audit
#   console-playbook-hold-dark.png, console-playbooks-dark.png, console-schedule-timeline-dark.png
#                              a playbook run held half way, its outcome, and the Timeline's scheduled changes
#                              (PlaybookUiTest against a real node)
#   console-node-failed.png      section node-failed: a LIVE console on a real node whose engine thread fails
#                              (NodeFailureUiTest starts the node and fails it; docs/RELIABILITY.md)
#   console-schedule-unconfirmed-dark.png  section schedule-unconfirmed: the Timeline's schedule on a real
#                              `serve --live --kafka` node on an in-process broker, started again after a SIGKILL
#                              while Kafka was stopped and its cue's change was being tried (ScheduleRestartShowcase)
#   console-guardrails-preflight.png  section guardrails-preflight: the Guardrails tab rehearsing conversion-drop
#                              (seed 1009, 1x) with a -20% conversion pre-flight running, once its estimate rests on
#                              seeds 1 to 12 (PreflightShowcase; docs/GUARDRAILS.md)
# Each shot starts from its own throwaway settings, so no shot inherits another's theme or window.
# Needs xvfb-run, curl and jq; builds the console first if the sources changed (./edgedeck does).
#
# Usage: docs/screenshots.sh              every shot above
#        docs/screenshots.sh SECTION...   only the sections named (node-failed, guardrails-preflight)
#        docs/screenshots.sh --list       the sections that can be taken alone, one a line
set -eu
cd "$(dirname "$0")/.."
out=docs/images

# Sections that can be taken alone (docs/screenshots.sh SECTION...); the whole script takes them last.
sections="node-failed guardrails-preflight schedule-unconfirmed"

console_test_shots() { # test image...: runs a console test that, asked with -Dedgedeck.screenshots, writes these images
  test=$1; shift
  shots=$(mktemp -d)
  if ! ./mvnw -q -B -pl console-app -am test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
    -Dedgedeck.screenshots="$shots" -Dedgedeck.aot.skip=true > "$shots/build.log" 2>&1; then
    cat "$shots/build.log" >&2
    exit 1
  fi
  for image in "$@"; do
    cp "$shots/$image" "$out/$image"
    echo "Wrote $out/$image"
  done
  rm -rf "$shots"
}

node_failed() { # NodeFailureUiTest: a real node on loopback playing steady-show, a LIVE console on it, its engine failed
  console_test_shots 'io.edgedeck.console.NodeFailureUiTest#theBannerNamesTheFailureAndTheConsoleNeverSaysOnline' \
    console-node-failed.png
}

console_showcase() { # dir class [arguments]: a showcase of the console's tests on a virtual display; says what it wrote
  # The reactor names each module's classes from this build.
  dir=$1; shift
  if ! ./mvnw -q -B -pl console-app -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$dir/classpath" -Dedgedeck.aot.skip=true > "$dir/build.log" 2>&1; then
    cat "$dir/build.log" >&2
    exit 1
  fi
  if ! xvfb-run -a -s "-screen 0 1600x1000x24" "${JAVA_HOME:+$JAVA_HOME/bin/}java" \
    -cp "console-app/target/test-classes:console-app/target/classes:$(cat "$dir/classpath")" "$@" > "$dir/log" 2>&1; then
    cat "$dir/log" >&2
    exit 1
  fi
  grep "^Wrote" "$dir/log"
}

guardrails_preflight() { # PreflightShowcase (console tests): the pre-flight of conversion-drop refining
  preflight=$(mktemp -d)
  console_showcase "$preflight" io.edgedeck.console.PreflightShowcase "$out/console-guardrails-preflight.png"
  rm -rf "$preflight"
}

schedule_unconfirmed() { # ScheduleRestartShowcase (simulator tests): a fleet node started again, its change not confirmed
  restart=$(mktemp -d)
  # edge-client's classes from this build go before the classpath's, as for the Fleet tab below.
  if ! ./mvnw -q -B -pl simulator -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$restart/classpath" -Dedgedeck.aot.skip=true > "$restart/build.log" 2>&1; then
    cat "$restart/build.log" >&2
    exit 1
  fi
  "${JAVA_HOME:+$JAVA_HOME/bin/}java" --sun-misc-unsafe-memory-access=allow \
    -cp "simulator/target/test-classes:simulator/target/classes:edge-client/target/classes:$(cat "$restart/classpath")" \
    io.edgedeck.simulator.server.ScheduleRestartShowcase "$restart/data" > "$restart/log" 2>&1 &
  restarted=$!
  until grep -qs "^--connect " "$restart/log"; do
    kill -0 "$restarted" 2>/dev/null || { cat "$restart/log" >&2; exit 1; }
    sleep 1
  done
  mkdir "$restart/config"
  printf '{"operator": "stage-producer", "windowWidth": 1320, "windowHeight": 820}\n' > "$restart/config/settings.json"
  # shellcheck disable=SC2046  # the line is "--connect URL --token-file FILE": four words
  JAVA_TOOL_OPTIONS="-Dedgedeck.config.dir=$restart/config" xvfb-run -a -s "-screen 0 1600x1000x24" \
    ./edgedeck --screenshot "$out/console-schedule-unconfirmed-dark.png" $(grep "^--connect " "$restart/log") \
    --tab timeline --theme dark --exit-after 12 2>&1 | grep -v "^Picked up JAVA_TOOL_OPTIONS" || true
  echo "Wrote $out/console-schedule-unconfirmed-dark.png"
  kill "$restarted"
  wait "$restarted" 2>/dev/null || true
  rm -rf "$restart"
}

section() { # name: takes that section
  case "$1" in
    node-failed) node_failed ;;
    guardrails-preflight) guardrails_preflight ;;
    schedule-unconfirmed) schedule_unconfirmed ;;
  esac
}

if [ "${1:-}" = "--list" ]; then
  printf '%s\n' $sections
  exit 0
fi
if [ $# -gt 0 ]; then
  for name in "$@"; do  # every name checked before any section starts
    case " $sections " in
      *" $name "*) ;;
      *) echo "docs/screenshots.sh: no section $name; the sections: $sections" >&2; exit 2 ;;
    esac
  done
  for name in "$@"; do
    section "$name"
  done
  exit 0
fi

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
shot "$out/console-triggers-dark.png" 1500 900 --rehearsal docs/scenarios/trigger-audit.json --seed 7 --speed 20 --tab triggers \
  --theme dark --exit-after 45
shot "$out/jitter-dark.png" 1320 820 --rehearsal jitter-storm --speed 20 --tab jitter --theme dark --exit-after 18

# The end of jitter-storm (45 s at 20x: 15:00) and the bundle exported at that second, reopened in a fresh console.
bundle=$(mktemp -d)/end.zip
shot "$out/jitter-storm-end.png" 1320 820 --rehearsal jitter-storm --speed 20 --tab jitter --theme dark --exit-after 45 \
  --export-bundle "$bundle"
shot "$out/jitter-bundle-reopened.png" 1320 820 --bundle "$bundle" --tab jitter --theme dark --exit-after 8
rm -rf "$(dirname "$bundle")"

java=${JAVA_HOME:+$JAVA_HOME/bin/}java
sim=simulator/target/edgedeck-sim.jar

awaitline() { # log pattern process: waits for a line of the log to match; if the process ends first, says why
  until grep -qs "$2" "$1"; do
    kill -0 "$3" 2>/dev/null || { cat "$1" >&2; exit 1; }
    sleep 1
  done
}

serve() { # dir [serve options]: a node with its data in dir/node, on a free port; sets node (its process) and url
  dir=$1; shift
  "$java" -jar "$sim" serve "$@" --data-dir "$dir/node" --port 0 > "$dir/serve.log" 2>&1 &
  node=$!
  awaitline "$dir/serve.log" "^  console " "$node"
  url=$(sed -n 's/^  console *--connect \([^ ]*\) .*/\1/p' "$dir/serve.log")
}

unserve() { # stops the node serve started (and any processes named), then waits for it
  kill "$node" "$@" 2>/dev/null || true
  wait "$node" 2>/dev/null || true
}

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
showcase() { # log class [arguments]: runs a showcase from the simulator's tests in the background
  log=$1; shift
  "$java" --sun-misc-unsafe-memory-access=allow \
    -cp "simulator/target/test-classes:simulator/target/classes:edge-client/target/classes:$(cat "$fleet/classpath")" \
    "$@" > "$log" 2>&1 &
  showcase=$!
}
showcase "$fleet/log" io.edgedeck.simulator.fleet.FleetShowcase 0 "$fleet/data" 20
awaitline "$fleet/log" "^stopped node-c" "$showcase"
sleep 12
# shellcheck disable=SC2046  # the line is "--connect URL --token-file FILE": three words
shot "$out/console-fleet-dark.png" 1320 900 $(sed -n 's/^--connect /--connect /p' "$fleet/log") --tab fleet --theme dark --exit-after 8
kill "$showcase"

# A node fed only by its connectors: ConnectorsShowcase (simulator tests) probes three PoPs on loopback, takes a
# Logpush batch every 5 s (one PoP code in it the mapping lacks), Twitch chat, a silent chat webhook and OBS
# dropping 2.5% of frames. The dashboard with the encoder tile 30 s in, then the Sources tab.
showcase "$fleet/connectors.log" io.edgedeck.simulator.server.ConnectorsShowcase 0 "$fleet/connectors"
awaitline "$fleet/connectors.log" "^--connect " "$showcase"
# shellcheck disable=SC2046
shot "$out/encoder-tile.png" 1320 820 $(sed -n 's/^--connect /--connect /p' "$fleet/connectors.log") --theme dark --exit-after 30
# shellcheck disable=SC2046
shot "$out/sources-panel.png" 1320 820 $(sed -n 's/^--connect /--connect /p' "$fleet/connectors.log") --tab sources \
  --theme dark --exit-after 12
kill "$showcase"
rm -rf "$fleet"

# The decision budget live: a node on the show's clock at 5x, fed by `load` at the same speed (at 10x a busy
# machine's load falls minutes of the show behind the node's clock); the console connects as the load starts and
# is photographed 75 s later, past 6:15 of the show, inside the acquirer's slowdown (5:00 to 9:00) at iad and ord.
budget=$(mktemp -d)
serve "$budget" --live --node-config acquirer-slowdown --speed 5
"$java" -jar "$sim" load --target "$url" --scenario acquirer-slowdown --key-dir "$budget/node" --speed 5 > "$budget/load.log" 2>&1 &
load=$!
shot "$out/console-decision-budget-live-dark.png" 1320 820 --connect "$url" --token-file "$budget/node/token" --theme dark --exit-after 75
unserve "$load"
rm -rf "$budget"

# The example node (docs/examples/node-config.json) fed by a batch of ingest events a second, sent with curl:
# request latencies at its three PoPs (one lost), and a viewer exposed to the checkout button who converts.
live=$(mktemp -d)
serve "$live" --live --node-config docs/examples/node-config.json
ingest=$(cat "$live/node/ingest-key")
(
  i=0
  while :; do  # until stopped below
    events=""
    for request in 1 2 3; do
      for pop in fra:24 ams:19 iad:33; do  # the PoP and its usual latency
        events="$events{\"id\": \"${pop%:*}-$i-$request\", \"type\": \"latency\", \"pop\": \"${pop%:*}\", \"ms\": $((${pop#*:} + (i * 7 + request * 13) % 29))},"
      done
    done
    [ "$i" -eq 9 ] && events="$events{\"id\": \"lost-$i\", \"type\": \"latency\", \"pop\": \"iad\", \"lost\": true},"
    [ "$i" -eq 3 ] && events="$events{\"id\": \"x-1\", \"type\": \"exposure\", \"flag\": \"checkout-button\", \"variant\": \"control\", \"targetingKey\": \"viewer-1\", \"pop\": \"fra\"},"
    [ "$i" -eq 6 ] && events="$events{\"id\": \"c-1\", \"type\": \"conversion\", \"name\": \"purchase\", \"targetingKey\": \"viewer-1\"},"
    curl -s -o /dev/null -X POST -H "Authorization: Bearer $ingest" -H 'Content-Type: application/json' \
      -d "[${events%,}]" "$url/ingest/v1/events"
    i=$((i + 1))
    sleep 1
  done
) &
feed=$!
shot "$out/live-console-uptime.png" 1320 820 --connect "$url" --token-file "$live/node/token" --theme dark --exit-after 25
unserve "$feed"
rm -rf "$live"

# One-click tokens on the example node with a 5 s TTL: eight tokens each used once, one of them presented again, two
# altered, one presented after its 5 s (docs/API.md). No audience requests come, so the PoP tiles say "no data".
tokens=$(mktemp -d)
jq '.checkoutTokens = {"ttlSeconds": 5}' docs/examples/node-config.json > "$tokens/node-config.json"
serve "$tokens" --live --node-config "$tokens/node-config.json"
admin=$(cat "$tokens/node/token")
ingest=$(cat "$tokens/node/ingest-key")
issue() { # unit: a token for it
  curl -s -X POST -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d "{\"targetingKey\": \"$1\"}" "$url/api/v1/checkout-tokens" | jq -r .token
}
present() { # token unit: presents it, prints the HTTP status
  curl -s -o /dev/null -w '%{http_code} ' -X POST -H "Authorization: Bearer $ingest" -H 'Content-Type: application/json' \
    -d "{\"token\": \"$1\", \"targetingKey\": \"$2\", \"pop\": \"fra\"}" "$url/ingest/v1/checkouts"
}
statuses=""
for n in 1 2 3 4 5 6 7 8; do
  token=$(issue "viewer-$n")
  statuses="$statuses$(present "$token" "viewer-$n")"
done
statuses="$statuses$(present "$token" viewer-8)"                        # replayed
for n in 9 10; do  # altered, the nonce's first letter changed: forged
  statuses="$statuses$(present "$(issue "viewer-$n" | sed 's/^\(v1\.[^.]*\.[^.]*\.\)A/\1B/; t; s/^\(v1\.[^.]*\.[^.]*\.\)./\1A/')" "viewer-$n")"
done
late=$(issue viewer-12)
sleep 6
statuses="$statuses$(present "$late" viewer-12)"                        # expired
if [ "$statuses" != "200 200 200 200 200 200 200 200 409 403 403 403 " ]; then
  echo "one-click tokens: the node answered $statuses where 8 accepted (200), 1 replayed (409) and 3 refused (403) were meant" >&2
  unserve
  exit 1
fi
shot "$out/dashboard-checkout-tokens.png" 1320 820 --connect "$url" --token-file "$tokens/node/token" --theme dark --exit-after 12
unserve
rm -rf "$tokens"

# A viewer's console: carol, a viewer, on a node serving steady-show at 2x; the Flags tab offers no change.
viewer=$(mktemp -d)
serve "$viewer" --scenario steady-show --speed 2
"$java" -jar "$sim" operators add carol --role viewer --data-dir "$viewer/node" --token-out "$viewer/carol.token" > /dev/null
shot "$out/console-live-viewer.png" 1320 820 --connect "$url" --token-file "$viewer/carol.token" --tab flags --theme dark \
  --exit-after 25
unserve
rm -rf "$viewer"

# The ingest lane while `load` drives a node: conversion-drop at 1x, photographed once the node has taken conversions
# and checkouts (on a busy machine `load` takes a while to reach them), so every kind of event has its row going.
lane=$(mktemp -d)
serve "$lane" --live --node-config conversion-drop
"$java" -jar "$sim" load --target "$url" --scenario conversion-drop --key-dir "$lane/node" > "$lane/load.log" 2>&1 &
load=$!
until curl -s -H "Authorization: Bearer $(cat "$lane/node/read-key")" "$url/api/v1/sources" | jq -e '[.. | objects
    | select(.kind? == "ingest" and (.name == "conversion" or .name == "checkout") and .events > 0)] | length == 2' > /dev/null; do
  kill -0 "$load" 2>/dev/null || { cat "$lane/load.log" >&2; unserve; exit 1; }  # load ended first: say why
  sleep 2
done
shot "$out/sources-panel-load.png" 1320 820 --connect "$url" --token-file "$lane/node/token" --tab sources --theme dark \
  --exit-after 20
unserve "$load"
rm -rf "$lane"

# The trigger audit live: trigger-audit served at 10x, `load` plays the whole show at 10x into it, then the console.
# load exits 3 when the node's figures differ from the show in-process (a busy machine's stream lags, so the
# triggers with a time window fire less: docs/TRIGGERS.md); only a node it could not drive (1, 2) stops the script.
audit=$(mktemp -d)
serve "$audit" --live --node-config docs/scenarios/trigger-audit.json --speed 10
"$java" -jar "$sim" load --target "$url" --scenario docs/scenarios/trigger-audit.json --key-dir "$audit/node" --speed 10 \
  > "$audit/load.log" 2>&1 || [ $? -eq 3 ] || { cat "$audit/load.log" >&2; unserve; exit 1; }
cat "$audit/load.log"  # the comparison docs/TRIGGERS.md quotes under the picture
shot "$out/console-triggers-live-dark.png" 1500 900 --connect "$url" --token-file "$audit/node/token" --tab triggers \
  --theme dark --exit-after 10
unserve
rm -rf "$audit"

# Two people and a change held for approval: ApprovalShowcase (console tests) starts a `serve --live` node with
# examples/node-config.json and approval lanes, adds alice (operator) and bob (approver), opens a console window
# for each (1320x820, dark) and writes the three PNGs at the moments README shows.
approvals=$(mktemp -d)
console_showcase "$approvals" io.edgedeck.console.ApprovalShowcase docs/examples/node-config.json "$approvals/work" "$out"
rm -rf "$approvals"

# Playbooks and changes at the drop: PlaybookUiTest (console tests) plays them against a real node and, asked with
# -Dedgedeck.screenshots, writes the window half way through the held run, after the run, and the Timeline with a
# rollback due in ten minutes and two changes waiting for the drop cue (README's "Playbooks and changes at the drop").
console_test_shots 'io.edgedeck.console.PlaybookUiTest' \
  console-playbook-hold-dark.png console-playbooks-dark.png console-schedule-timeline-dark.png

for name in $sections; do
  section "$name"
done
