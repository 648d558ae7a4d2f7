#!/usr/bin/env bash
# Proves a built .deb on a clean old system: a fresh Debian 11 (bullseye, glibc 2.31) chroot with no Python in it,
# `apt-get install ./ducha-taizhang_….deb` as a clerk's IT would, then under Xvfb, as an ordinary user,
# `ducha --demo --smoke-test` (the window with every page) and `ducha --demo status --json`; then a clean uninstall
# that leaves the user's ledger. Prints: .deb size, installed size, cold and warm start time, and the newest GLIBC
# symbol version any ELF file of the installed bundle requires (objdump -T; must be ≤ 2.31, says whether ≤ 2.28).
# Usage (root): bash packaging/linux/test_deb.sh dist/ducha-taizhang_<version>_<arch>.deb
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=chroot_lib.sh
. "$HERE/chroot_lib.sh"
[ "$(id -u)" = 0 ] || { echo "test_deb.sh: run as root (chroot and mounts need it)" >&2; exit 1; }
[ $# -eq 1 ] && [ -f "$1" ] || { echo "usage: test_deb.sh path/to/ducha-taizhang_<version>_<arch>.deb" >&2; exit 2; }
DEB=$(readlink -f "$1")
APP=/opt/ducha-taizhang

workdir W test
ROOT="$W/root"

stage "clean $SUITE chroot"
base_chroot "$ROOT"
mount_chroot "$ROOT"
in_chroot "$ROOT" "check that the clean system has no Python" \
  "if ls /usr/bin/python* /usr/local/bin/python* 2>/dev/null; then echo 'a Python is already there'; exit 1; fi"
in_chroot "$ROOT" "add an ordinary user" "useradd -m -s /bin/bash clerk"

stage "apt-get install ./deb"
cp "$DEB" "$ROOT/tmp/"
in_chroot "$ROOT" "apt-get install ./$(basename "$DEB")" \
  "apt-get update -qq && apt-get install -y -qq /tmp/$(basename "$DEB") >/tmp/apt.log 2>&1 || { tail -30 /tmp/apt.log; exit 1; }"
in_chroot "$ROOT" "check the installed files" "
  test -x /usr/bin/ducha && test -x $APP/ducha && test -f /usr/share/applications/ducha-taizhang.desktop
  grep -qx 'Name=督查台账' /usr/share/applications/ducha-taizhang.desktop
  grep -qx 'Categories=Office;' /usr/share/applications/ducha-taizhang.desktop
  test -f /usr/share/icons/hicolor/scalable/apps/ducha-taizhang.svg
  if ls /usr/bin/python* 2>/dev/null; then echo 'installing the .deb pulled in a Python'; exit 1; fi"
# every library every ELF file of the bundle links is either in the bundle or installed by the .deb's Depends
# (checked before anything else is installed, so nothing the test adds can hide a missing dependency)
in_chroot "$ROOT" "every library the bundle links is present (ldd)" "
  cd $APP
  dirs=\$(find $APP -name '*.so*' -printf '%h\n' | sort -u | tr '\n' ':')
  find . -type f | while read -r f; do
    [ \"\$(head -c4 \"\$f\" | tail -c3 | tr -d '\\0')\" = ELF ] || continue
    LD_LIBRARY_PATH=\$dirs ldd \"\$f\" 2>/dev/null | grep 'not found' | sed \"s|^|\$f: |\" || true
  done > /tmp/missing
  if [ -s /tmp/missing ]; then echo 'libraries not found:'; sort -u /tmp/missing | head -40; exit 1; fi"

stage "glibc symbols (objdump -T)"
newest=""; over228=(); ELF_COUNT=0
while IFS= read -r -d '' f; do
  [ "$(head -c4 "$f" | tail -c3 | tr -d '\0')" = ELF ] || continue
  ELF_COUNT=$((ELF_COUNT + 1))
  v=$(objdump -T "$f" 2>/dev/null | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -u -V | tail -1 || true)
  [ -n "$v" ] || continue
  newest=$(printf '%s\n%s\n' "$newest" "$v" | sed '/^$/d' | sort -V | tail -1)
  if [ "$(printf '%s\n2.28\n' "$v" | sort -V | tail -1)" != 2.28 ]; then over228+=("${f#"$ROOT"} (GLIBC_$v)"); fi
done < <(find "$ROOT$APP" -type f -print0)

stage "smoke test under Xvfb"
in_chroot "$ROOT" "apt-get install xvfb (for the test only)" \
  "apt-get install -y -qq --no-install-recommends xvfb xauth >/tmp/apt-x.log 2>&1 || { tail -20 /tmp/apt-x.log; exit 1; }"
DISP=$((200 + RANDOM % 700))
in_chroot "$ROOT" "ducha --demo --smoke-test (cold: first start after install) and status --json" "
  Xvfb :$DISP -nolisten tcp -screen 0 1400x900x24 >/tmp/xvfb.log 2>&1 &
  xpid=\$!
  trap 'kill \$xpid 2>/dev/null || true' EXIT
  for i in \$(seq 50); do [ -e /tmp/.X11-unix/X$DISP ] && break; sleep 0.2; done
  run() { runuser -u clerk -- env HOME=/home/clerk DISPLAY=:$DISP LANG=C.UTF-8 \"\$@\" \
          || { echo '--- the app log:'; tail -25 /home/clerk/.local/share/DuchaTaizhang/logs/ducha.log 2>/dev/null; return 1; }; }
  t0=\$(date +%s.%N); run ducha --demo --smoke-test > /tmp/smoke1.txt 2>&1 || { cat /tmp/smoke1.txt; exit 1; }; t1=\$(date +%s.%N)
  run ducha --demo --smoke-test > /tmp/smoke2.txt 2>&1 || { cat /tmp/smoke2.txt; exit 1; }; t2=\$(date +%s.%N)
  echo \"\$t0 \$t1 \$t2\" > /tmp/times
  run ducha --demo status --json > /tmp/status.json 2>/tmp/status.err || { cat /tmp/status.err; exit 1; }
  run ducha --help >/dev/null"
read -r t0 t1 t2 < "$ROOT/tmp/times"
SMOKE=$(grep -m1 '^OK' "$ROOT/tmp/smoke1.txt" || true)
[ -n "$SMOKE" ] || { cat "$ROOT/tmp/smoke1.txt"; echo "ERROR: the smoke test printed no OK line" >&2; exit 1; }
if command -v python3 >/dev/null; then   # the host's Python reads the answer (the chroot has none)
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d' "$ROOT/tmp/status.json" \
    || { echo "ERROR: status --json did not print JSON" >&2; head -c 600 "$ROOT/tmp/status.json" >&2; exit 1; }
fi
INSTALLED_KB=$(du -sk "$ROOT$APP" | cut -f1)
DATA_DIR="$ROOT/home/clerk/.local/share/DuchaTaizhang"
[ -d "$DATA_DIR" ] || { echo "ERROR: no user data folder at ${DATA_DIR#"$ROOT"}" >&2; exit 1; }
find "$DATA_DIR" -type f | sort > "$W/data-before"

stage "uninstall"
in_chroot "$ROOT" "apt-get purge ducha-taizhang" "apt-get purge -y -qq ducha-taizhang >/tmp/purge.log 2>&1 || { cat /tmp/purge.log; exit 1; }
  for p in $APP /usr/bin/ducha /usr/share/applications/ducha-taizhang.desktop /usr/share/icons/hicolor/scalable/apps/ducha-taizhang.svg; do
    if [ -e \$p ]; then echo \"left behind after purge: \$p\"; exit 1; fi
  done"
find "$DATA_DIR" -type f | sort > "$W/data-after"
cmp -s "$W/data-before" "$W/data-after" || { echo "ERROR: uninstalling changed the user's data folder" >&2; diff "$W/data-before" "$W/data-after" >&2; exit 1; }

stage_summary
echo "-- results --"
echo "deb:             $(basename "$DEB")  $(du -b "$DEB" | cut -f1) bytes ($(du -h "$DEB" | cut -f1))"
echo "installed size:  ${INSTALLED_KB} KiB in $APP ($ELF_COUNT ELF files)"
echo "no Python:       none before install, none after (the bundle carries its own)"
echo "smoke test:      $SMOKE"
printf 'start (cold):    %.2f s  (first start after install, fresh user, Xvfb: builds the demo ledger, then shows every page with its reads)\n' "$(awk "BEGIN{print $t1-$t0}")"
printf 'start (warm):    %.2f s  (the same again: window up, every page shown and read, closed)\n' "$(awk "BEGIN{print $t2-$t1}")"
echo "status --json:   $(head -c 300 "$ROOT/tmp/status.json" | tr '\n' ' ')…"
echo "newest GLIBC:    GLIBC_$newest required (bullseye has 2.31: $( [ "$(printf '%s\n2.31\n' "$newest" | sort -V | tail -1)" = 2.31 ] && echo OK || echo TOO NEW))"
if [ ${#over228[@]} -eq 0 ]; then echo "≤ 2.28 (统信UOS 1070): yes, no file needs a symbol newer than GLIBC_2.28"
else echo "≤ 2.28 (统信UOS 1070): NO, ${#over228[@]} file(s) need newer symbols:"; printf '    %s\n' "${over228[@]}" | head -20; fi
echo "uninstall:       purge removed $APP, /usr/bin/ducha, the menu entry and icon; ${DATA_DIR#"$ROOT"} kept ($(wc -l < "$W/data-after") files)"
[ "$(printf '%s\n2.31\n' "$newest" | sort -V | tail -1)" = 2.31 ] || { echo "ERROR: the bundle needs GLIBC_$newest > 2.31" >&2; exit 1; }
