#!/usr/bin/env bash
# Create .venv, install the project (and test extras for "test"), compile translations.
# Usage: scripts/setup.sh [run|test]
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"
bash scripts/system-deps.sh "$mode"
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
extras=""
[ "$mode" = "test" ] && extras="[test]"
stamp=".venv/.installed-$mode-$(sha1sum pyproject.toml | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  # compat mode: a plain path entry, so a checkout run from elsewhere imports its own code
  .venv/bin/python -m pip install -q -e ".${extras}" --config-settings editable_mode=compat
  touch "$stamp"
fi
if [ "$mode" = "test" ]; then
  # JavaScript the browser tests inject (axe-core), pinned by package-lock.json.
  npm ci --no-audit --no-fund --silent
fi
.venv/bin/python scripts/compile_messages.py
