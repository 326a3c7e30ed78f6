#!/usr/bin/env bash
# Starts PostgreSQL (127.0.0.1:5432, user postgres, trust) and MariaDB (127.0.0.1:3306, root,
# no password) if they are not already answering, waits until both accept connections and
# makes sure a database `test` exists on each. On a fresh Debian machine it first installs
# both and opens them to local test connections. Safe to run any number of times.
set -euo pipefail

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 >/dev/null 2>&1; }
maria_up() { mysqladmin --protocol=tcp -h 127.0.0.1 -P 3306 -uroot ping >/dev/null 2>&1; }
maria_root_tcp() { mysql --protocol=tcp -h 127.0.0.1 -P 3306 -uroot -e 'SELECT 1' >/dev/null 2>&1; }

wait_for() {
  local what=$1 check=$2
  for _ in $(seq 1 60); do
    if "$check"; then return 0; fi
    sleep 1
  done
  echo "$what does not answer on 127.0.0.1" >&2
  exit 1
}

# --- install (fresh machines only) -----------------------------------------------------
missing=()
[ -n "$(ls /etc/postgresql 2>/dev/null)" ] || missing+=(postgresql)
[ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server mariadb-client)
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
    { apt-get update >/dev/null && apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
fi

# --- PostgreSQL ---------------------------------------------------------------------------
for version in $(ls /etc/postgresql); do
  hba=/etc/postgresql/$version/main/pg_hba.conf
  if [ -f "$hba" ] && ! grep -Eq '^host[[:space:]]+all[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
    # Test connections as postgres without a password: trust on loopback, ahead of other rules.
    printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' | cat - "$hba" >"$hba.nubo" && mv "$hba.nubo" "$hba"
    chown postgres:postgres "$hba" 2>/dev/null || true
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload 2>/dev/null || true
  fi
done
if ! pg_up; then
  for version in $(ls /etc/postgresql); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  done
fi
wait_for PostgreSQL pg_up

# --- MariaDB ------------------------------------------------------------------------------
if ! maria_up; then
  mkdir -p /run/mysqld
  chown mysql:mysql /run/mysqld 2>/dev/null || true
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
fi
wait_for MariaDB maria_up
if ! maria_root_tcp; then
  # A fresh install lets root in through the unix socket only: allow it on loopback, no password.
  mysql -uroot <<'SQL'
ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket;
CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED VIA mysql_native_password USING PASSWORD('');
GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
FLUSH PRIVILEGES;
SQL
fi

# --- the `test` databases -----------------------------------------------------------------
if ! psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1; then
  psql -h 127.0.0.1 -U postgres -qc 'CREATE DATABASE test'
fi
mysql --protocol=tcp -h 127.0.0.1 -P 3306 -uroot -e 'CREATE DATABASE IF NOT EXISTS test'

# --- room for the test suite's connections --------------------------------------------------
# The suite runs several clouds at once (the multi-node tests alone start seven processes,
# each with its own pool), which passes the servers' default connection limits.
if [ "$(psql -h 127.0.0.1 -U postgres -tAc 'SHOW max_connections')" -lt 500 ]; then
  psql -h 127.0.0.1 -U postgres -qc 'ALTER SYSTEM SET max_connections = 500'
  for version in $(ls /etc/postgresql); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main restart
  done
  wait_for PostgreSQL pg_up
fi
mysql --protocol=tcp -h 127.0.0.1 -P 3306 -uroot -e 'SET GLOBAL max_connections = 1000'
