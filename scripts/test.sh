#!/usr/bin/env bash
# Install everything (incl. Debian's Chromium) and run the whole test suite.
# Extra arguments go to pytest. DATABASE_URL=postgres://... runs it on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
# One pytest worker per core (TEST_WORKERS overrides; 0 runs in this process). Each worker has
# its own test database and live server and receives tests in collection order, so on every
# worker the tests that share the loaded site data run before the transactional tests that
# flush it (pytest-django's ordering; "--dist loadfile" would break it across files).
workers="${TEST_WORKERS:-$(nproc)}"
exec .venv/bin/python -m pytest -n "$workers" --dist load "$@"
