#!/usr/bin/env bash
# Builds dist/ducha-taizhang_<version>_<arch>.deb: the one-folder app (packaging/ducha.spec) built inside a Debian 11
# (bullseye, glibc 2.31) chroot, so it runs on 银河麒麟 V10 (glibc 2.31) and, when no newer symbol sneaks in, on
# 统信UOS 1070 (glibc 2.28). Python 3.11 is not in bullseye: it is built in the chroot from the pristine upstream
# tarball of Debian's own `python3.11` source package (bookworm), then pip installs our dependencies and PyInstaller
# from PyPI. Run as root (debootstrap, chroot, mounts) on a Debian/Ubuntu host with debootstrap and network access to
# Debian's archive and PyPI. The architecture is the host's (`dpkg --print-architecture`): run it on an arm64
# machine and it builds ducha-taizhang_<version>_arm64.deb the same way.
#
# Cache (kept between runs, ${DUCHA_BUILD_CACHE:-/var/cache/ducha-build}): the debootstrapped base, the base with
# the build dependencies, the built Python and SQLite (each a tarball keyed by what it was made from) and pip's cache
# folder (bound in; measured here it kept only pip's self-check, so the wheels are downloaded again, ~20–80 s).
# Cold on 2 shared cores: see the stage timings printed at the end; warm runs skip debootstrap and the Python build.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PROJECT=$(cd "$HERE/../.." && pwd)
# shellcheck source=chroot_lib.sh
. "$HERE/chroot_lib.sh"
[ "$(id -u)" = 0 ] || { echo "build_deb.sh: run as root (debootstrap, chroot and mounts need it)" >&2; exit 1; }

VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' "$PROJECT/pyproject.toml" | head -1)
PKG=ducha-taizhang
OUT="$PROJECT/dist/${PKG}_${VERSION}_${ARCH}.deb"
PYPREFIX=/opt/python3.11
JOBS=${DUCHA_BUILD_JOBS:-2}

# What CPython needs to build the modules the app uses (ssl for pip, ctypes, sqlite3, bz2, lzma, zlib, uuid, expat)
# and what PyInstaller needs; plus the run-time libraries Qt's xcb platform plugin links, so PyInstaller's analysis
# sees them and the Depends below are computed from the bundle rather than guessed.
BUILD_DEPS="build-essential pkg-config dpkg-dev xz-utils ca-certificates libssl-dev zlib1g-dev libffi-dev libsqlite3-dev
 libbz2-dev liblzma-dev uuid-dev libexpat1-dev binutils
 libxcb1 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0
 libxcb-randr0 libxcb-xfixes0 libxcb-xinerama0 libxcb-xkb1 libxcb-sync1 libxcb-render0 libxcb-shm0 libxkbcommon0
 libxkbcommon-x11-0 libfontconfig1 libfreetype6 libglib2.0-0 libgl1 libegl1 libdbus-1-3"
PY_CONFIGURE="--prefix=$PYPREFIX --enable-shared --with-ensurepip=install LDFLAGS=-Wl,-rpath,$PYPREFIX/lib"

workdir W build
ROOT="$W/root"

DEPS_KEY=$(key_of "$BASE_KEY" "$BUILD_DEPS" v1)
DEPS_TAR="$CACHE/builddeps-$SUITE-$ARCH-$DEPS_KEY.tar"
if [ -s "$DEPS_TAR" ]; then
  stage "build chroot (cached)"   # the base with the build dependencies, as one tarball
  mkdir -p "$ROOT" && tar -C "$ROOT" -xf "$DEPS_TAR"
  mkdir -p "$ROOT/proc" "$ROOT/sys" "$ROOT/dev" "$ROOT/tmp" && chmod 1777 "$ROOT/tmp"
  apt_sources "$ROOT"
  mount_chroot "$ROOT"
  in_chroot "$ROOT" "apt-get update" "apt-get update -qq"
else
  stage "base chroot ($SUITE)"
  base_chroot "$ROOT"
  mount_chroot "$ROOT"
  stage "build dependencies"
  in_chroot "$ROOT" "apt-get install of the build dependencies" \
    "apt-get update -qq && apt-get install -y -qq --no-install-recommends $(echo $BUILD_DEPS) >/dev/null && apt-get clean"
  tar -C "$ROOT" --one-file-system --exclude=./proc --exclude=./sys --exclude=./dev --exclude=./tmp -cf "$DEPS_TAR.part" . \
    && mv "$DEPS_TAR.part" "$DEPS_TAR"
fi

stage "python3.11 source (bookworm)"
# Debian's own python3.11 source package from bookworm (Debian 12), fetched with apt-get source. Its orig tarball is
# upstream CPython; Debian's patches are NOT applied: they adapt Python to Debian's /usr layout (dist-packages,
# multiarch paths, ensurepip disabled for the system python), which is wrong for a private prefix.
in_chroot "$ROOT" "apt-get source python3.11 (bookworm deb-src)" "
  printf 'deb-src $MIRROR bookworm main\ndeb-src $MIRROR bookworm-updates main\n' > /etc/apt/sources.list.d/bookworm-src.list
  apt-get update -qq
  apt-cache showsrc python3.11 | sed -n 's/^Version: //p' | sort -V | tail -1 > /tmp/pyver"
PYSRC_VER=$(cat "$ROOT/tmp/pyver")
[ -n "$PYSRC_VER" ] || { echo "ERROR: no python3.11 source package found in bookworm's deb-src" >&2; exit 1; }
PY_KEY=$(key_of "$DEPS_KEY" "$PYSRC_VER" "$PY_CONFIGURE" v1)
PY_TAR="$CACHE/python-$PYSRC_VER-$SUITE-$ARCH-$PY_KEY.tar"
echo "python3.11 source package: $PYSRC_VER (cache: $(basename "$PY_TAR"))" >&2

stage "python3.11 build"
if [ -s "$PY_TAR" ]; then
  tar -C "$ROOT" -xf "$PY_TAR"
else
  in_chroot "$ROOT" "download and unpack python3.11 $PYSRC_VER" "
    mkdir -p /usr/src/py && cd /usr/src/py
    apt-get source -qq -o APT::Sandbox::User=root --download-only python3.11=$PYSRC_VER
    dpkg-source --skip-patches -x python3.11_*.dsc src >/dev/null"
  in_chroot "$ROOT" "configure and make CPython (make -j$JOBS, no PGO/LTO, no test suite)" "
    cd /usr/src/py/src
    ./configure -q $PY_CONFIGURE >/tmp/configure.log 2>&1 || { tail -40 /tmp/configure.log; exit 1; }
    make -s -j$JOBS >/tmp/make.log 2>&1 || { tail -60 /tmp/make.log; exit 1; }
    make -s altinstall >/tmp/install.log 2>&1 || { tail -40 /tmp/install.log; exit 1; }
    for m in ssl ctypes sqlite3 bz2 lzma zlib uuid pyexpat _decimal; do $PYPREFIX/bin/python3.11 -c \"import \$m\" \
      || { echo \"the built Python lacks the module \$m\"; exit 1; }; done
    rm -rf /usr/src/py"
  tar -C "$ROOT" -cf "$PY_TAR.part" "${PYPREFIX#/}" && mv "$PY_TAR.part" "$PY_TAR"
fi

stage "sqlite3 (bookworm source)"
# bullseye's SQLite is 3.34, and SQLAlchemy needs 3.35+ for INSERT … RETURNING with several rows (the ledger uses it):
# libsqlite3 is built from Debian's own bookworm `sqlite3` source package (upstream tarball, Debian's patches not
# applied) into /usr/local/lib, which the dynamic linker searches first; Python's _sqlite3 loads it, PyInstaller
# bundles it. Python itself needs no rebuild (the library keeps its soname and ABI).
in_chroot "$ROOT" "find bookworm's sqlite3 source" \
  "apt-cache showsrc sqlite3 | sed -n 's/^Version: //p' | sort -V | tail -1 > /tmp/sqlver"
SQL_VER=$(cat "$ROOT/tmp/sqlver")
[ -n "$SQL_VER" ] || { echo "ERROR: no sqlite3 source package found in bookworm's deb-src" >&2; exit 1; }
SQL_KEY=$(key_of "$DEPS_KEY" "$SQL_VER" v1)
SQL_TAR="$CACHE/sqlite-$SQL_VER-$SUITE-$ARCH-$SQL_KEY.tar"
if [ ! -s "$SQL_TAR" ]; then
  in_chroot "$ROOT" "build libsqlite3 $SQL_VER" "
    apt-get install -y -qq --no-install-recommends tcl >/dev/null
    mkdir -p /usr/src/sq && cd /usr/src/sq
    apt-get source -qq -o APT::Sandbox::User=root --download-only sqlite3=$SQL_VER
    dpkg-source --skip-patches -x sqlite3_*.dsc src >/dev/null 2>&1
    cd src
    CFLAGS='-O2 -DSQLITE_ENABLE_COLUMN_METADATA -DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_RTREE -DSQLITE_SECURE_DELETE \
      -DSQLITE_ENABLE_UNLOCK_NOTIFY -DSQLITE_ENABLE_DBSTAT_VTAB -DSQLITE_MAX_VARIABLE_NUMBER=250000' \
      ./configure -q --prefix=/usr/local --disable-tcl --enable-threadsafe >/tmp/sq-configure.log 2>&1 \
      || { tail -30 /tmp/sq-configure.log; exit 1; }
    make -s -j$JOBS libsqlite3.la >/tmp/sq-make.log 2>&1 || { tail -40 /tmp/sq-make.log; exit 1; }
    mkdir -p /tmp/sqinst/usr/local/lib && cp -a .libs/libsqlite3.so* /tmp/sqinst/usr/local/lib/
    rm -rf /usr/src/sq"
  tar -C "$ROOT/tmp/sqinst" -cf "$SQL_TAR.part" usr && mv "$SQL_TAR.part" "$SQL_TAR"
fi
tar -C "$ROOT" -xf "$SQL_TAR"
in_chroot "$ROOT" "use the built libsqlite3" "ldconfig
  v=\$($PYPREFIX/bin/python3.11 -c 'import sqlite3; print(sqlite3.sqlite_version)')
  echo \"SQLite \$v\" >&2
  $PYPREFIX/bin/python3.11 -c 'import sqlite3, sys; sys.exit(sqlite3.sqlite_version_info < (3, 35))' \
    || { echo \"Python still loads SQLite \$v (3.35 or newer needed)\"; exit 1; }"

stage "pip install (PyPI)"
mkdir -p "$CACHE/pip"
bind_into "$CACHE/pip" "$ROOT/root/.cache/pip"
mkdir -p "$ROOT/src"
(cd "$PROJECT" && git ls-files -z 2>/dev/null | xargs -0 cp --parents -t "$ROOT/src") \
  || cp -a "$PROJECT"/{app.py,core,cli,ui,resources,templates_xlsx,packaging,pyproject.toml} "$ROOT/src/"
# the host's CA bundle, so pip trusts what the host trusts (a proxy's CA on a build machine behind one)
cp -L "${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}" "$ROOT/etc/ssl/host-ca-bundle.crt"
in_chroot "$ROOT" "pip install of the project's dependencies and PyInstaller" "
  export PIP_CERT=/etc/ssl/host-ca-bundle.crt SSL_CERT_FILE=/etc/ssl/host-ca-bundle.crt
  $PYPREFIX/bin/python3.11 -m venv /build/venv
  /build/venv/bin/pip install -q --disable-pip-version-check '/src[build]'
  /build/venv/bin/python -c 'import PySide6.QtWidgets, sqlalchemy, docx, python_calamine, psycopg, PyInstaller'"

stage "pyinstaller"
# run-time libraries Qt plugins link that are not in the cached build chroot (kept out of it so that adding one does
# not rebuild Python): libcups2 for Qt's print support (the 报表 page prints); Wayland, GBM/DRM (eglfs) and GLX for
# the platform plugins PySide6 ships; Kerberos and zstd for Qt's own libraries
RUNTIME_EXTRA="libcups2 libwayland-client0 libwayland-cursor0 libwayland-egl1 libwayland-server0 libgbm1 libdrm2
 libxcb-glx0 libgssapi-krb5-2 libzstd1 libx11-6"
in_chroot "$ROOT" "pyinstaller packaging/ducha.spec" "
  apt-get install -y -qq --no-install-recommends $(echo $RUNTIME_EXTRA) >/dev/null
  cd /src && /build/venv/bin/pyinstaller --noconfirm --log-level WARN --distpath /build/dist --workpath /build/work \
    packaging/ducha.spec >/tmp/pyinstaller.log 2>&1 || { tail -40 /tmp/pyinstaller.log; exit 1; }
  test -x '/build/dist/督查台账/ducha'"
BUNDLE="$ROOT/build/dist/督查台账"

stage "package .deb"
# Depends: the sonames the bundle's ELF files need that the bundle does not carry, mapped to bullseye packages with
# dpkg -S inside the chroot; libc6 gets the newest GLIBC symbol version the bundle requires as its lower bound.
in_chroot "$ROOT" "work out the system libraries the bundle needs" "
  cd '/build/dist/督查台账'
  find . -type f | while read -r f; do [ \"\$(head -c4 \"\$f\" | tail -c3 | tr -d '\\0')\" = ELF ] && echo \"\$f\"; done > /tmp/elfs || true
  find . \( -type f -o -type l \) -name '*.so*' -printf '%f\n' | sort -u > /tmp/carried
  while read -r f; do objdump -p \"\$f\" | awk '/NEEDED/ {print \$2}'; done < /tmp/elfs | sort -u > /tmp/needed
  comm -23 /tmp/needed /tmp/carried > /tmp/missing
  : > /tmp/pkgs; : > /tmp/unmapped
  while read -r so; do
    p=\$(dpkg -S \"*/\$so\" 2>/dev/null | head -1 | cut -d: -f1) || true
    if [ -n \"\$p\" ]; then echo \"\$p\" >> /tmp/pkgs; else echo \"\$so\" >> /tmp/unmapped; fi
  done < /tmp/missing
  if [ -s /tmp/unmapped ]; then
    echo \"the bundle needs libraries no installed package provides (add their packages to RUNTIME_EXTRA):\"
    for so in \$(cat /tmp/unmapped); do grep -l \"\$so\" \$(cat /tmp/elfs) 2>/dev/null | head -2 | sed \"s|^|  \$so  ← |\"; done
    exit 1
  fi
  sort -u -o /tmp/pkgs /tmp/pkgs
  while read -r f; do objdump -T \"\$f\" 2>/dev/null | grep -o 'GLIBC_[0-9.]*' || true; done < /tmp/elfs \
    | sort -u -V | tail -1 | sed 's/GLIBC_//' > /tmp/glibc"
GLIBC=$(cat "$ROOT/tmp/glibc")
DEPENDS="libc6 (>= $GLIBC)"
while read -r p; do
  case "$p" in libc6) ;; *) DEPENDS="$DEPENDS, $p" ;; esac
done < "$ROOT/tmp/pkgs"
# fonts: Qt needs at least one font fontconfig can find; a CJK one so the window's Chinese shows (Recommends: the
# office PCs have their own CJK fonts, a bare system gets one)
PKGDIR="$W/pkg"
mkdir -p "$PKGDIR/DEBIAN" "$PKGDIR/opt" "$PKGDIR/usr/bin" "$PKGDIR/usr/share/applications" \
  "$PKGDIR/usr/share/icons/hicolor/scalable/apps" "$PKGDIR/usr/share/doc/$PKG"
cp -a "$BUNDLE" "$PKGDIR/opt/$PKG"
chmod -R u=rwX,go=rX "$PKGDIR/opt/$PKG"
cat > "$PKGDIR/usr/bin/ducha" <<'WRAP'
#!/bin/sh
# 督查台账: the window, or a subcommand (ducha --help). Each user's ledgers stay in their own data folder.
exec /opt/ducha-taizhang/ducha "$@"
WRAP
chmod 755 "$PKGDIR/usr/bin/ducha"
cp "$PROJECT/resources/icons/app.svg" "$PKGDIR/usr/share/icons/hicolor/scalable/apps/$PKG.svg"
cat > "$PKGDIR/usr/share/applications/$PKG.desktop" <<DESK
[Desktop Entry]
Type=Application
Name=督查台账
Name[zh_CN]=督查台账
GenericName=督查任务台账
Comment=区政府督查室的任务台账、下发、收文合并、督办与通报
Exec=/usr/bin/ducha
Icon=$PKG
Terminal=false
Categories=Office;
Keywords=督查;台账;督办;
StartupNotify=true
DESK
printf '督查台账 %s, built in a Debian %s chroot (glibc %s symbols at most) from %s.\n' \
  "$VERSION" "$SUITE" "$GLIBC" "CPython $PYSRC_VER (Debian source package, upstream tarball)" > "$PKGDIR/usr/share/doc/$PKG/README"
cat > "$PKGDIR/DEBIAN/postinst" <<'POST'
#!/bin/sh
set -e
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q /usr/share/applications || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
exit 0
POST
cat > "$PKGDIR/DEBIAN/postrm" <<'POST'
#!/bin/sh
# Removes what the package put on the system and nothing else: each user's ledgers and settings
# (~/.local/share/DuchaTaizhang, ~/.config/DuchaTaizhang) are theirs and stay.
set -e
case "$1" in
  remove|purge)
    rm -rf /opt/ducha-taizhang
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q /usr/share/applications || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
    ;;
esac
exit 0
POST
chmod 755 "$PKGDIR/DEBIAN/postinst" "$PKGDIR/DEBIAN/postrm"
INSTALLED_KB=$(du -sk --exclude=DEBIAN "$PKGDIR" | cut -f1)
cat > "$PKGDIR/DEBIAN/control" <<CTRL
Package: $PKG
Version: $VERSION
Architecture: $ARCH
Maintainer: 督查室 <ducha@localhost>
Installed-Size: $INSTALLED_KB
Depends: $DEPENDS
Recommends: fonts-wqy-zenhei | fonts-noto-cjk
Section: misc
Priority: optional
Description: 督查台账 — 区政府督查室的任务台账桌面工具
 任务台账、下发、收文合并、督办与通报。离线使用，自带 Python 3.11 与 Qt 6.8，
 不需要联网或另装 Python。
 .
 Desktop ledger for a district government's supervision office (self-contained:
 Python 3.11 and Qt 6.8 are inside /opt/ducha-taizhang).
CTRL
mkdir -p "$PROJECT/dist"
dpkg-deb --root-owner-group -Zxz --build "$PKGDIR" "$OUT" >/dev/null

stage_summary
echo "built: $OUT ($(du -h "$OUT" | cut -f1), installed size ${INSTALLED_KB} KiB)"
echo "Depends: $DEPENDS"
