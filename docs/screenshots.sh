#!/bin/sh
# Writes docs/images/console-<view>-<theme>.png for every tab in the dark and light themes, and
# docs/images/dashboard.png for the README, from a real window on a virtual display. Each shot
# rehearses sentiment-crash at 20x for 20 s (engine time 6:40: after its automatic rollback at ~5:20).
# Needs xvfb-run and a packaged console: ./mvnw -q package -DskipTests
set -eu
cd "$(dirname "$0")/.."
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
CONFIG="$(mktemp -d)"
trap 'rm -rf "$CONFIG"' EXIT
printf '{"operator": "stage-producer"}\n' > "$CONFIG/settings.json"
shot() { # view theme file [extra options]
  view=$1; theme=$2; file=$3; shift 3
  xvfb-run -a -s "-screen 0 1600x1000x24" "$JAVA" -Dedgedeck.config.dir="$CONFIG" \
    -jar console-app/target/edgedeck-console.jar --rehearsal sentiment-crash --speed 20 \
    --theme "$theme" --tab "$view" --screenshot "$file" --exit-after 20 "$@"
}
for theme in dark light; do
  for view in dashboard flags guardrails timeline jitter rehearsal settings; do
    shot "$view" "$theme" "docs/images/console-$view-$theme.png"
  done
done
shot dashboard dark docs/images/dashboard.png
shot dashboard dark docs/images/console-dashboard-bench-large-dark.png --rehearsal bench-large
