# shellcheck shell=bash
# Shared by build_deb.sh and test_deb.sh: a cached Debian 11 (bullseye) base chroot, mounts that are always undone,
# commands run inside the chroot with a clear message when they fail, and per-stage timings.
set -euo pipefail

SUITE=bullseye                       # Debian 11: glibc 2.31, as on 银河麒麟 V10 SP1
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
ARCH=$(dpkg --print-architecture)    # amd64 here; arm64 when the same script runs on an arm64 machine
CACHE=${DUCHA_BUILD_CACHE:-/var/cache/ducha-build}
mkdir -p "$CACHE"

_MOUNTS=()        # mount points, undone in reverse order on exit
_CLEAN_DIRS=()    # work folders removed on exit (after the mounts are gone)
_STAGES=()        # "name seconds" lines for the summary
_T0=$(date +%s)

_cleanup() {
  local rc=$? i m
  for ((i=${#_MOUNTS[@]}-1; i>=0; i--)); do
    m=${_MOUNTS[i]}
    mountpoint -q "$m" 2>/dev/null && { umount "$m" 2>/dev/null || umount -l "$m" || echo "WARNING: could not unmount $m" >&2; }
  done
  for m in "${_CLEAN_DIRS[@]}"; do
    # never rm -rf through a mount that is still there
    if grep -q " ${m}/" /proc/mounts; then echo "WARNING: $m still has mounts, left in place" >&2; else rm -rf "$m"; fi
  done
  if [ $rc -ne 0 ]; then echo "FAILED (exit $rc) in stage: ${_STAGE:-start}" >&2; fi
  exit $rc
}
trap _cleanup EXIT
trap 'exit 130' INT TERM

stage() {   # stage NAME: closes the previous stage's timer and opens the next one
  local now; now=$(date +%s)
  [ -z "${_STAGE:-}" ] || _STAGES+=("$(printf '%-28s %5ds' "$_STAGE" $((now - _STAGE_T)))")
  _STAGE=$1; _STAGE_T=$now
  [ "$1" = done ] || echo "== $(date -u +%H:%M:%S) $1" >&2
}

stage_summary() {
  stage done
  echo "-- stage timings --"
  printf '%s\n' "${_STAGES[@]}"
  printf '%-28s %5ds\n' total $(( $(date +%s) - _T0 ))
}

workdir() {   # workdir VAR NAME: VAR is set to a new work folder on disk (not tmpfs), removed on exit
  local d; d=$(mktemp -d "${TMPDIR:-/var/tmp}/ducha-$2.XXXXXX")
  _CLEAN_DIRS+=("$d"); printf -v "$1" '%s' "$d"
}

mount_chroot() {   # proc, sys, dev, dev/pts and the host's DNS inside ROOT
  local root=$1
  mount -t proc proc "$root/proc" && _MOUNTS+=("$root/proc")
  mount -t sysfs sys "$root/sys" && _MOUNTS+=("$root/sys")
  mount --bind /dev "$root/dev" && _MOUNTS+=("$root/dev")
  mount --bind /dev/pts "$root/dev/pts" && _MOUNTS+=("$root/dev/pts")
  cp -L /etc/resolv.conf "$root/etc/resolv.conf"
}

bind_into() {   # bind_into HOSTDIR ROOT/PATH
  mkdir -p "$2"; mount --bind "$1" "$2" && _MOUNTS+=("$2")
}

in_chroot() {   # in_chroot ROOT WHAT SCRIPT: runs SCRIPT with bash inside ROOT; on failure names WHAT and exits
  local root=$1 what=$2 script=$3 rc=0
  chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive TERM=dumb \
    /bin/bash -euo pipefail -c "$script" || rc=$?
  if [ $rc -ne 0 ]; then echo "ERROR: inside the $SUITE chroot, '$what' failed (exit $rc)" >&2; exit $rc; fi
}

key_of() { printf '%s\n' "$@" | sha256sum | cut -c1-16; }

# The base: `debootstrap --variant=minbase` of bullseye (no Python in it), cached as a tarball keyed by suite,
# architecture, mirror and variant. Debian's archive signs it; debootstrap checks the signature with the keyring.
BASE_KEY=$(key_of "$SUITE" "$ARCH" "$MIRROR" minbase v1)
BASE_TAR="$CACHE/base-$SUITE-$ARCH-$BASE_KEY.tar"

base_chroot() {   # base_chroot DIR: DIR becomes a fresh bullseye minbase root (from the cache, or debootstrapped)
  local root=$1
  if [ ! -s "$BASE_TAR" ]; then
    local tmp; workdir tmp debootstrap
    local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    debootstrap --variant=minbase --arch="$ARCH" --keyring="$keyring" "$SUITE" "$tmp/root" "$MIRROR" >"$tmp/log" 2>&1 \
      || { tail -30 "$tmp/log" >&2; echo "ERROR: debootstrap $SUITE from $MIRROR failed (log above)" >&2; exit 1; }
    tar -C "$tmp/root" -cf "$BASE_TAR.part" . && mv "$BASE_TAR.part" "$BASE_TAR"
    rm -rf "$tmp/root"
  fi
  mkdir -p "$root"; tar -C "$root" -xf "$BASE_TAR"
  apt_sources "$root"
}

apt_sources() {   # Debian's archive for bullseye and its point-release updates
  printf 'deb %s %s main\ndeb %s %s-updates main\n' "$MIRROR" "$SUITE" "$MIRROR" "$SUITE" > "$1/etc/apt/sources.list"
}
