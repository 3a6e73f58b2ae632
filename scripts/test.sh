#!/usr/bin/env bash
# Install everything (incl. Debian's Chromium) and run the whole test suite.
# Extra arguments go to pytest. DATABASE_URL=postgres://... runs it on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
exec .venv/bin/python -m pytest "$@"
