#!/usr/bin/env bash
# Installs Chromium and Korean fonts (Debian packages) for the end-to-end tests, if missing.
# Browser downloads by Playwright cannot work here, so the tests drive the system Chromium.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list 2>/dev/null | grep -qi nanum || missing+=(fonts-nanum)
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "!!! Cannot install ${missing[*]} (not root, no sudo): end-to-end tests will be SKIPPED." >&2
    exit 0
  fi
fi
echo "Installing ${missing[*]} from Debian's packages..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" fontconfig >/dev/null
