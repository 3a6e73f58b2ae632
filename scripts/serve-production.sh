#!/usr/bin/env bash
# Serve the site as in production on this machine: gunicorn (several processes),
# whitenoise for static files, a background task worker. See docs/deploy.md.
# Environment: DJANGO_SECRET_KEY (generated into the data or shared dir if unset), ALLOWED_HOSTS,
# SITE_BASE_URL (required: the public https address printed on certificates), optional
# DATABASE_URL / REDIS_URL / WEB_CONCURRENCY / CLIENT_IP_HEADER / PORT / SECURE_SSL_REDIRECT /
# CERTPLATFORM_SHARED_DIR (several nodes, docs/deploy.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh run
export DJANGO_SETTINGS_MODULE=cms_site.settings.production
DATA_DIR="${CERTPLATFORM_DATA_DIR:-$PWD/var}"
mkdir -p "$DATA_DIR"
# Several nodes (CERTPLATFORM_SHARED_DIR set): one generated key on the shared storage for all.
KEY_DIR="${CERTPLATFORM_SHARED_DIR:-$DATA_DIR}"
mkdir -p "$KEY_DIR"
if [ -z "${DJANGO_SECRET_KEY:-}" ]; then
  [ -f "$KEY_DIR/secret_key" ] || (umask 077; .venv/bin/python -c "import secrets;print(secrets.token_urlsafe(50))" > "$KEY_DIR/secret_key")
  export DJANGO_SECRET_KEY="$(cat "$KEY_DIR/secret_key")"
fi
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-0}"
if [ -z "${SITE_BASE_URL:-}" ]; then
  echo "SITE_BASE_URL is required: the public address of the site, e.g. https://cert.example.org" >&2
  exit 1
fi
# The settings' system checks and gunicorn see the same number of workers.
export WEB_CONCURRENCY="${WEB_CONCURRENCY:-2}"
.venv/bin/python manage.py migrate --no-input -v0
.venv/bin/python manage.py createcachetable  # the shared cache when REDIS_URL is not set
.venv/bin/python manage.py collectstatic --no-input -v0
.venv/bin/python manage.py load_initial_data
.venv/bin/python manage.py db_worker --queue-name '*' --no-reload &
worker=$!
.venv/bin/python manage.py run_periodic &
periodic=$!
trap 'kill $worker $periodic 2>/dev/null || true' EXIT
exec .venv/bin/gunicorn cms_site.wsgi:application \
  --bind "${HOST:-127.0.0.1}:${PORT:-8000}" \
  --workers "$WEB_CONCURRENCY" --worker-class gthread --threads "${THREADS:-8}" \
  --max-requests 5000 --max-requests-jitter 500 --timeout 60 --access-logfile -
