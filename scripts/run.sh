#!/usr/bin/env bash
# Install everything and run the site with demo data on http://127.0.0.1:8000 (SQLite).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh run
export DJANGO_SETTINGS_MODULE=cms_site.settings.dev
.venv/bin/python manage.py migrate --no-input -v0
.venv/bin/python manage.py load_initial_data --demo-accounts
echo
echo "Site: http://${HOST:-127.0.0.1}:${PORT:-8000}/   Admin: http://${HOST:-127.0.0.1}:${PORT:-8000}/admin/"
# Background tasks (certificate PDFs, web push) run in a database-queue worker beside the
# server; periodic jobs (auto hand-in, proctor deadlines, photo purge) in run_periodic.
.venv/bin/python manage.py db_worker --queue-name '*' --no-reload -v0 &
worker=$!
.venv/bin/python manage.py run_periodic &
periodic=$!
trap 'kill $worker $periodic 2>/dev/null' EXIT
.venv/bin/python manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
