#!/usr/bin/env bash
# Installs what the project needs on a fresh machine: Debian's Chromium (browser tests, demo) and npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium and CJK fonts..."
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
npm ci --no-audit --no-fund
