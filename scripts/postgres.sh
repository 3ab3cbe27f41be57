#!/usr/bin/env bash
# Installs (from Debian's packages) and starts a local PostgreSQL server without systemd, then creates the
# role `khuyencong` and a fresh database named by $1 (default khuyencong_test). Prints the DATABASE_URL to use.
# The role may create databases: the Swift tests copy template databases (CREATE DATABASE … TEMPLATE) per test.
set -euo pipefail
db="${1:-khuyencong_test}"

if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  echo "installing PostgreSQL from Debian's packages…" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main"' | grep -q . || pg_createcluster "$version" main >&2
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
  pg_ctlcluster "$version" main start >&2
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')
for _ in $(seq 1 120); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 0.5; done
pg_isready -q -h 127.0.0.1 -p "$port" || { echo "PostgreSQL did not start on port $port" >&2; exit 1; }

# The test suite runs in parallel, each test with its own database and connections: allow enough of them.
if [ "$(runuser -u postgres -- psql -p "$port" -tAc 'SHOW max_connections')" -lt 400 ]; then
  runuser -u postgres -- psql -q -p "$port" -c "ALTER SYSTEM SET max_connections = 500" >&2
  pg_ctlcluster "$version" main restart >&2
  for _ in $(seq 1 120); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 0.5; done
fi

runuser -u postgres -- psql -q -p "$port" -v ON_ERROR_STOP=1 >&2 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'khuyencong') THEN
    CREATE ROLE khuyencong LOGIN PASSWORD 'khuyencong';
  END IF;
END \$\$;
ALTER ROLE khuyencong CREATEDB;
DROP DATABASE IF EXISTS $db WITH (FORCE);
CREATE DATABASE $db OWNER khuyencong;
SQL
echo "postgres://khuyencong:khuyencong@127.0.0.1:$port/$db?sslmode=disable"
