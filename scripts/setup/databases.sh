#!/usr/bin/env bash
# Starts PostgreSQL (127.0.0.1:5432, user postgres, trust) and MariaDB (127.0.0.1:3306, root,
# no password) if they are not already answering, waits until both accept connections and
# makes sure a database `test` exists on each. Safe to run any number of times.
set -euo pipefail

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 >/dev/null 2>&1; }
maria_up() { mysqladmin --protocol=tcp -h 127.0.0.1 -P 3306 -uroot ping >/dev/null 2>&1; }

wait_for() {
  local what=$1 check=$2
  for _ in $(seq 1 60); do
    if "$check"; then return 0; fi
    sleep 1
  done
  echo "$what does not answer on 127.0.0.1" >&2
  exit 1
}

if ! pg_up; then
  for version in $(ls /etc/postgresql); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  done
fi
wait_for PostgreSQL pg_up

if ! maria_up; then
  mkdir -p /run/mysqld
  chown mysql:mysql /run/mysqld 2>/dev/null || true
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
fi
wait_for MariaDB maria_up

if ! psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1; then
  psql -h 127.0.0.1 -U postgres -qc 'CREATE DATABASE test'
fi
mysql --protocol=tcp -h 127.0.0.1 -P 3306 -uroot -e 'CREATE DATABASE IF NOT EXISTS test'
