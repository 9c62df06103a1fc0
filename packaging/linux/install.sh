#!/usr/bin/env bash
# Install the built bundle (dist/rehearse) for the current user, so Rehearse shows up in the
# desktop's menus; or remove it again. Needs no root. Your recordings and history
# (~/.local/share/rehearse) are never touched, not even by --uninstall.
#
#   packaging/linux/install.sh               # after packaging/build.sh
#   packaging/linux/install.sh --uninstall
#
# Where (override with environment variables):
#   bundle    $PREFIX/opt/rehearse            (PREFIX defaults to ~/.local)
#   command   $PREFIX/bin/rehearse            (a symlink)
#   menu      $DATA/applications/io.github.rehearse.Rehearse.desktop   (DATA: $XDG_DATA_HOME or ~/.local/share)
#   icons     $DATA/icons/hicolor/{16x16..256x256,scalable}/apps/io.github.rehearse.Rehearse.{png,svg}
#   metainfo  $DATA/metainfo/io.github.rehearse.Rehearse.metainfo.xml
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
APP_ID=io.github.rehearse.Rehearse
SIZES=(16 32 48 64 128 256)
PREFIX="${PREFIX:-$HOME/.local}"
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
BUNDLE_SRC="${BUNDLE:-$ROOT/dist/rehearse}"
OPT="$PREFIX/opt/rehearse"
BIN="$PREFIX/bin/rehearse"
DESKTOP="$DATA/applications/$APP_ID.desktop"
METAINFO="$DATA/metainfo/$APP_ID.metainfo.xml"
ICONS="$DATA/icons/hicolor"

refresh_caches() {
  if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q "$DATA/applications" || true; fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$ICONS/index.theme" ]; then
    gtk-update-icon-cache -q -t -f "$ICONS" || true
  fi
}

do_uninstall() {
  rm -rf "$OPT"
  if [ -L "$BIN" ] && [ "$(readlink "$BIN")" = "$OPT/rehearse" ]; then rm -f "$BIN"; fi
  rm -f "$DESKTOP" "$METAINFO" "$ICONS/scalable/apps/$APP_ID.svg"
  for size in "${SIZES[@]}"; do rm -f "$ICONS/${size}x${size}/apps/$APP_ID.png"; done
  refresh_caches
  echo "install.sh: Rehearse removed (your data in ${XDG_DATA_HOME:-$HOME/.local/share}/rehearse is kept)"
}

do_install() {
  [ -x "$BUNDLE_SRC/rehearse" ] || { echo "install.sh: no bundle at $BUNDLE_SRC: run packaging/build.sh first" >&2; exit 1; }
  # A fresh copy: files left over from an older version must not mix with the new ones.
  rm -rf "$OPT.new"
  mkdir -p "$(dirname "$OPT")"
  cp -a "$BUNDLE_SRC" "$OPT.new"
  rm -rf "$OPT"
  mv "$OPT.new" "$OPT"
  mkdir -p "$(dirname "$BIN")"
  ln -sfn "$OPT/rehearse" "$BIN"

  # The menu entry runs the bundle by its full path: ~/.local/bin is not on every session's PATH.
  mkdir -p "$(dirname "$DESKTOP")"
  sed -e "s|^Exec=rehearse|Exec=$OPT/rehearse|" -e "s|^TryExec=rehearse|TryExec=$OPT/rehearse|" \
    "$ROOT/packaging/linux/$APP_ID.desktop" > "$DESKTOP"
  chmod 0644 "$DESKTOP"
  install -D -m 0644 "$ROOT/packaging/linux/$APP_ID.metainfo.xml" "$METAINFO"
  for size in "${SIZES[@]}"; do
    install -D -m 0644 "$ROOT/resources/icons/rehearse-$size.png" "$ICONS/${size}x${size}/apps/$APP_ID.png"
  done
  install -D -m 0644 "$ROOT/resources/icons/rehearse.svg" "$ICONS/scalable/apps/$APP_ID.svg"
  refresh_caches
  echo "install.sh: Rehearse installed in $OPT ($(du -sm "$OPT" | cut -f1) MB); menu entry $DESKTOP; command $BIN"
}

case "${1:-}" in
  "") do_install ;;
  --uninstall) do_uninstall ;;
  -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) echo "install.sh: unknown option $1 (use --uninstall or --help)" >&2; exit 2 ;;
esac
