#!/usr/bin/env bash
# Installs Debian packages when they are missing and apt is usable.
#   ./scripts/install-system-deps.sh            what the tests need (make test)
#   ./scripts/install-system-deps.sh --for-run  what the pages need (make run): espeak-ng
#                                               for speech, libcairo2 for mat pictures
# Chromium + ChromeDriver drive the accessibility tests, espeak-ng makes speech,
# aspell-cy checks Welsh spelling, libcairo2 rasterises pictures, poppler-utils renders PDFs.
# For `make run` a package it cannot install is never an error: it says so in one line and
# the portal runs without it.
set -euo pipefail

APT_GET="${PORTAL_APT_GET:-apt-get}"  # tests point this at a command that is not there
for_run=false
if [ "${1:-}" = "--for-run" ]; then
  for_run=true
  packages=(espeak-ng libcairo2)
else
  packages=(chromium chromium-driver espeak-ng aspell aspell-cy libcairo2 poppler-utils)
fi
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi

cannot() {
  if $for_run; then
    echo "system packages: could not install ${missing[*]} ($1); the portal runs without" \
         "speech (no play buttons) and without saved mat pictures until they are installed." >&2
    exit 0
  fi
  echo "system packages: missing ${missing[*]} and $1;" \
       "the tests that need them will skip (or fail under CI=true)." >&2
  [ "$1" = "apt-get failed" ] && exit 1  # as before: a failed install stops `make test`
  exit 0
}

apt_install() {
  "$@" update -qq >/dev/null 2>&1 || true
  "$@" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

if command -v "$APT_GET" >/dev/null && [ "$(id -u)" = "0" ]; then
  echo "system packages: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt_install "$APT_GET" || cannot "apt-get failed"
elif command -v "$APT_GET" >/dev/null && command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  echo "system packages: installing ${missing[*]} with sudo"
  apt_install sudo DEBIAN_FRONTEND=noninteractive "$APT_GET" || cannot "apt-get failed"
else
  cannot "apt-get is not usable here"
fi
