#!/bin/sh
# Installs the Linux app image for the current user alone, without root, or removes it again.
#
#   installers/install-user.sh              copy installers/target/installers/EdgeDeck to
#                                           ~/.local/share/edgedeck, link ~/.local/bin/edgedeck to its
#                                           launcher, add a menu entry for each of its three launchers
#   installers/install-user.sh --uninstall  remove all of that again (settings in ~/.config/edgedeck stay),
#                                           as does ~/.local/share/edgedeck/uninstall.sh once the clone is gone
#
# The installed console runs from its own copy: the clone can be deleted afterwards. Everything goes
# under $XDG_DATA_HOME (default ~/.local/share) and ~/.local/bin; nothing outside HOME is touched.
set -eu

usage="usage: installers/install-user.sh [--uninstall]"
here=$(cd "$(dirname "$0")" && pwd -P)
image=$here/target/installers/EdgeDeck
data=${XDG_DATA_HOME:-$HOME/.local/share}
app=$data/edgedeck
bin=$HOME/.local/bin
link=$bin/edgedeck
apps=$data/applications
icons=$data/icons/hicolor/256x256/apps
icon=$icons/edgedeck.png
launchers="EdgeDeck EdgeDeck-software EdgeDeck-hidpi"

fail() {
    echo "install-user: $*" >&2
    exit 1
}

# The directories an install may make, each before its parent.
install_dirs() {
    printf '%s\n' "$icons" "$data/icons/hicolor/256x256" "$data/icons/hicolor" "$data/icons" "$apps" "$data" "$bin" "$HOME/.local"
}

uninstall() {
    found=""
    if [ -L "$link" ]; then
        case "$(readlink "$link")" in
            "$app"/*) rm -f "$link"; found=yes ;;
            *) echo "install-user: leaving $link: it points to $(readlink "$link"), not to $app" >&2 ;;
        esac
    fi
    for name in $launchers; do
        if [ -f "$apps/edgedeck-$name.desktop" ]; then
            rm -f "$apps/edgedeck-$name.desktop"
            found=yes
        fi
    done
    [ ! -f "$icon" ] || { rm -f "$icon"; found=yes; }
    made=""
    [ ! -f "$app/made-dirs" ] || made=$(sort -r "$app/made-dirs")
    [ ! -d "$app" ] || { rm -rf "$app"; found=yes; }
    rm -rf "$app.new"
    # Only the directories the install made, and only those nothing else has moved into since.
    printf '%s\n' "$made" | while IFS= read -r dir; do
        [ -z "$dir" ] || rmdir "$dir" 2>/dev/null || true
    done
    if [ -z "$found" ]; then
        echo "install-user: EdgeDeck is not installed for $(id -un) (nothing in $app)"
        return
    fi
    echo "install-user: removed EdgeDeck from $app, its menu entries and $link"
    config=${XDG_CONFIG_HOME:-$HOME/.config}/edgedeck
    if [ -d "$config" ]; then
        echo "install-user: your settings stay in $config (rm -r \"$config\" to remove them too)"
    fi
}

# One menu entry per launcher, as the .deb has.
desktop_entry() {
    case "$1" in
        EdgeDeck) title="EdgeDeck"; comment="Live-event edge console" ;;
        EdgeDeck-software) title="EdgeDeck (software rendering)"; comment="EdgeDeck with software rendering, for broken or missing GPU drivers" ;;
        EdgeDeck-hidpi) title="EdgeDeck (HiDPI)"; comment="EdgeDeck scaled 2x, for HiDPI screens GTK does not detect" ;;
    esac
    cat <<EOF
[Desktop Entry]
Type=Application
Name=$title
Comment=$comment
Exec="$app/bin/$1"
Icon=$icon
Terminal=false
Categories=AudioVideo;Video;
EOF
}

install() {
    [ "$(uname -s)" = Linux ] \
        || fail "this script installs the Linux app image; on $(uname -s) use the installer for it (installers/README.md)"
    if [ ! -x "$image/bin/EdgeDeck" ]; then
        fail "no app image at $image. Build it first, from the repository root, with a JDK 25 on JAVA_HOME:
  ./mvnw -B -Pinstallers -Dinstallers.appImageOnly=true package -DskipTests"
    fi
    for name in $launchers; do
        [ -x "$image/bin/$name" ] || fail "the app image at $image has no $name launcher: rebuild it"
    done
    if [ -e "$link" ] && ! [ -L "$link" ]; then
        fail "$link exists and is not a link this script made: move it away first"
    fi

    # Remembered for the uninstaller: the directories this install makes, and those an earlier one made.
    made=$(install_dirs | while IFS= read -r dir; do [ -e "$dir" ] || echo "$dir"; done)
    [ ! -f "$app/made-dirs" ] || made=$(printf '%s\n%s\n' "$(cat "$app/made-dirs")" "$made")
    mkdir -p "$data" "$bin" "$apps" "$icons"
    # Copied beside the old copy, then swapped in: an interrupted copy never leaves a half install.
    rm -rf "$app.new"
    cp -R "$image" "$app.new"
    cp "$0" "$app.new/uninstall.sh"
    chmod 755 "$app.new/uninstall.sh"
    printf '%s\n' "$made" | sed '/^$/d' | sort -u >"$app.new/made-dirs"
    rm -rf "$app"
    mv "$app.new" "$app"
    ln -sfn "$app/bin/EdgeDeck" "$link"
    cp "$app/lib/EdgeDeck.png" "$icon"
    for name in $launchers; do
        desktop_entry "$name" >"$apps/edgedeck-$name.desktop"
    done

    echo "install-user: installed EdgeDeck in $app"
    echo "install-user: start it from the menu or with: edgedeck   (remove it with: $app/uninstall.sh)"
    case ":$PATH:" in
        *":$bin:"*) ;;
        *) echo "install-user: $bin is not on your PATH: log in again (most distributions add it when it exists) or run $link" ;;
    esac
}

case "${1:-}" in
    "") if [ "$(basename "$0")" = uninstall.sh ]; then uninstall; else install; fi ;;
    --uninstall) uninstall ;;
    -h|--help) echo "$usage" ;;
    *) echo "$usage" >&2; exit 2 ;;
esac
