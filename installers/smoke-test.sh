#!/usr/bin/env bash
# Builds the installers (-Pinstallers) and proves the packaged console starts: unpacks the .deb,
# runs its launcher on a virtual X display (the GTK window path users get, not the test-only
# Headless platform), and checks the screenshot it writes. Exits non-zero on any failure.
#
#   installers/smoke-test.sh              app image + .deb (Linux), then the run from the .deb
#   SMOKE_APP_IMAGE_ONLY=1 installers/smoke-test.sh
#                                         app image only, run from the app image (no fakeroot)
#   SMOKE_SKIP_AOT=1 installers/smoke-test.sh
#                                         without the console's start-up cache, which no installer
#                                         carries (for a build whose verify has already made it)
#
# Missing Debian packages (fakeroot, xvfb, xauth, GTK 3, libXtst) are installed when running
# as root with apt-get; otherwise the script names them and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ] && [ -z "${JAVA_HOME:-}" ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/jpackage" ]; then
  echo "smoke-test: needs a JDK 25 with jpackage on JAVA_HOME" >&2
  exit 1
fi
export PATH="$JAVA_HOME/bin:$PATH"

image_only="${SMOKE_APP_IMAGE_ONLY:-0}"
skip_aot="${SMOKE_SKIP_AOT:-0}"
exit_after=8
target=installers/target
out="$target/smoke"

fail() {
  echo "smoke-test: FAIL: $*" >&2
  exit 1
}

has_lib() {
  # ldconfig lives in /sbin, which is not on every user's PATH.
  PATH="$PATH:/sbin:/usr/sbin" ldconfig -p | grep -q "$1"
}

missing=()
if [ "$image_only" != 1 ]; then
  command -v fakeroot >/dev/null || missing+=(fakeroot)
  command -v dpkg-deb >/dev/null || missing+=(dpkg)
fi
command -v xvfb-run >/dev/null || missing+=(xvfb)
command -v xauth >/dev/null || missing+=(xauth)
has_lib 'libgtk-3\.so\.0' || missing+=(libgtk-3-0)
has_lib 'libXtst\.so\.6' || missing+=(libxtst6)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "smoke-test: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    fail "missing packages: ${missing[*]} (Debian/Ubuntu: sudo apt-get install ${missing[*]})"
  fi
fi

started=$SECONDS
echo "smoke-test: building the installers"
./mvnw -B -q -Pinstallers -Dinstallers.appImageOnly="$([ "$image_only" = 1 ] && echo true || echo false)" \
  -Dedgedeck.aot.skip="$([ "$skip_aot" = 1 ] && echo true || echo false)" package -DskipTests

image="$target/installers/EdgeDeck"
[ -x "$image/bin/EdgeDeck" ] || fail "no launcher at $image/bin/EdgeDeck"
# JavaFX belongs in the linked runtime; its jars on the class path again would bring back the
# jar-order trouble the runtime exists to avoid.
if ls "$image"/lib/app/javafx-*.jar >/dev/null 2>&1; then
  fail "JavaFX jars in $image/lib/app: they belong in the runtime"
fi
grep -q '^MODULES=.*javafx.controls' "$image/lib/runtime/release" || fail "javafx.controls is not linked into the runtime"
# Lingua and fastutil ship as the console's cut of them, not the repository's 80 MB and 23 MB jars.
for jar in "$image"/lib/app/lingua-*.jar "$image"/lib/app/fastutil-*.jar; do
  cmp -s "$jar" "console-app/target/lib/$(basename "$jar")" \
    || fail "$jar is not the console's cut of it (console-app/target/lib): the full jar ships"
done
grep -qx 'java-options=-Dprism.order=sw' "$image/lib/app/EdgeDeck-software.cfg" \
  || fail "the EdgeDeck-software launcher lost -Dprism.order=sw"
grep -qx 'java-options=-Dglass.gtk.uiScale=2' "$image/lib/app/EdgeDeck-hidpi.cfg" \
  || fail "the EdgeDeck-hidpi launcher lost -Dglass.gtk.uiScale=2"

rm -rf "$out"
mkdir -p "$out/home"
launcher="$image/bin/EdgeDeck"
if [ "$image_only" != 1 ]; then
  deb=$(ls "$target"/installers/edgedeck_*.deb 2>/dev/null | head -n 1)
  [ -n "$deb" ] || fail "no .deb in $target/installers"
  dpkg-deb --info "$deb" >"$out/deb-info.txt"
  grep -q '^ Package: edgedeck$' "$out/deb-info.txt" || fail "$deb is not the edgedeck package"
  grep -q '^ Depends:.*libgtk-3' "$out/deb-info.txt" || fail "$deb does not depend on GTK 3, which JavaFX needs"
  dpkg-deb --contents "$deb" >"$out/deb-contents.txt"
  for entry in EdgeDeck EdgeDeck-software EdgeDeck-hidpi; do
    grep -q "/opt/edgedeck/lib/edgedeck-$entry.desktop$" "$out/deb-contents.txt" \
      || fail "$deb has no desktop entry for $entry"
  done
  dpkg-deb -x "$deb" "$out/deb-root"
  launcher="$out/deb-root/opt/edgedeck/bin/EdgeDeck"
fi

echo "smoke-test: starting $launcher on a virtual display"
shot="$PWD/$out/screenshot.png"
# A fresh HOME shows whether JavaFX had to unpack native libraries there (~/.openjfx).
set +e
HOME="$PWD/$out/home" timeout 120 xvfb-run -a -s "-screen 0 1600x1000x24" \
  "$launcher" --screenshot "$shot" --exit-after "$exit_after" >"$out/console.log" 2>&1
status=$?
set -e
cat "$out/console.log"
[ "$status" = 0 ] || fail "the console exited with status $status"
if grep -E '^WARNING|Unsupported JavaFX configuration' "$out/console.log"; then
  fail "the console printed warnings (native access or JavaFX configuration)"
fi
[ ! -e "$out/home/.openjfx" ] || fail "JavaFX unpacked native libraries into HOME: they are missing from the runtime"
"$JAVA_HOME/bin/java" -Djava.awt.headless=true installers/src/smoke/PngCheck.java "$shot" 800 500 \
  || fail "the screenshot does not show a drawn window"

echo "smoke-test: app image $(du -sh "$image" | cut -f1) ($(du -sb "$image" | cut -f1) bytes)"
if [ "$image_only" != 1 ]; then
  echo "smoke-test: $(basename "$deb") $(du -h "$deb" | cut -f1) ($(stat -c %s "$deb") bytes)"
fi
echo "smoke-test: OK in $((SECONDS - started)) s"
