#!/usr/bin/env bash
# Run the suite against a real PostgreSQL: install it from Debian if missing, start it,
# and point DATABASE_URL at it (pytest-django creates and drops the test database).
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
if ! command -v pg_ctlcluster >/dev/null; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  version=$(ls /etc/postgresql | sort -V | tail -n1)
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
if [ -z "${DATABASE_URL:-}" ]; then
  url="postgres://postgres@127.0.0.1:5432"
  if ! psql "$url/postgres" -qtAc "select 1" >/dev/null 2>&1; then
    # A fresh Debian cluster wants a password over TCP: give the postgres role one.
    if [ "$(id -u)" -eq 0 ]; then su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\""
    else sudo -u postgres psql -qc "ALTER USER postgres PASSWORD 'postgres'"; fi
    url="postgres://postgres:postgres@127.0.0.1:5432"
  fi
  export DATABASE_URL="$url/certplatform"
fi
echo "PostgreSQL run: $DATABASE_URL"
exec bash scripts/test.sh "$@"
