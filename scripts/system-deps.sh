#!/usr/bin/env bash
# Debian packages the project needs: a CJK font for certificate PDFs; for tests also
# Chromium (browser tests), poppler-utils (pdftoppm), gettext (makemessages), HAProxy (the load
# balancer of tests/bench/bench_scaleout.py) and wrk (the C load generator of tests/bench/).
# Usage: scripts/system-deps.sh [run|test]
set -euo pipefail
mode="${1:-run}"
packages=(fonts-wqy-zenhei)
if [ "$mode" = "test" ]; then
  packages+=(chromium poppler-utils gettext haproxy wrk)
  # npm installs the browser tests' JavaScript tools (package.json: axe-core); a Node.js
  # from elsewhere that already brings npm is fine.
  command -v npm >/dev/null || packages+=(npm)
fi
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "Please install these Debian packages (as root): ${missing[*]}" >&2; exit 1
  fi
fi
echo "Installing Debian packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
