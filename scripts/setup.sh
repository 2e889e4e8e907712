#!/usr/bin/env bash
# Installs what the project needs on a fresh machine: Debian's Chromium (browser tests, demo), Firefox ESR
# (the Firefox browser test, skipped without it) and npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium and CJK fonts..."
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
if [ ! -x /usr/bin/firefox-esr ] && [ ! -x /usr/bin/firefox ]; then
  echo "installing Debian's firefox-esr..."
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  # Optional: without Firefox its browser test skips, so a missing package only warns.
  if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq firefox-esr >/dev/null; }; then
    echo "warning: firefox-esr could not be installed; the Firefox browser test will be skipped" >&2
  fi
fi
npm ci --no-audit --no-fund
