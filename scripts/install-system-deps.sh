#!/usr/bin/env bash
# Installs the Debian packages the tests need, when they are missing and apt is usable.
# Chromium + ChromeDriver drive the accessibility tests, espeak-ng makes speech,
# aspell-cy checks Welsh spelling, libcairo2 rasterises pictures, poppler-utils renders PDFs.
set -euo pipefail

packages=(chromium chromium-driver espeak-ng aspell aspell-cy libcairo2 poppler-utils)
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

if command -v apt-get >/dev/null && [ "$(id -u)" = "0" ]; then
  echo "system packages: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  echo "system packages: installing ${missing[*]} with sudo"
  sudo DEBIAN_FRONTEND=noninteractive apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "system packages: missing ${missing[*]} and apt is not usable here;" \
       "the tests that need them will skip (or fail under CI=true)." >&2
fi
