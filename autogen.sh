#!/bin/sh
# Generates the build system of a git checkout: configure, Makefile.in and
# the helper scripts in build-aux/. A release tarball (make dist) has them
# already. Needs autoconf, automake and pkg-config.
set -e
cd "$(dirname "$0")"
mkdir -p m4 build-aux
autoreconf -fi
# automake installs the plain test driver but not the TAP one, which every
# test here uses (tests/local.mk).
cp -f "$(automake --print-libdir)/tap-driver.sh" build-aux/tap-driver.sh
chmod +x build-aux/tap-driver.sh
echo "Now run ./configure (see ./configure --help), then make."
