#!/usr/bin/env bash
# Installs and starts RabbitMQ on 127.0.0.1:5672 if it is not already answering, then makes
# the vhosts the transport tests use (their own, so they never touch anyone else's queues).
set -euo pipefail

VHOSTS=(nubo-test-transport)

if ! command -v rabbitmq-server >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends rabbitmq-server >/dev/null 2>&1 ||
    { apt-get update >/dev/null && apt-get install -y --no-install-recommends rabbitmq-server >/dev/null; }
fi

# Loopback only, with a fixed node name so rabbitmqctl finds the node whatever the hostname is.
mkdir -p /etc/rabbitmq
if [ ! -s /etc/rabbitmq/rabbitmq-env.conf ] || ! grep -q '^NODENAME=' /etc/rabbitmq/rabbitmq-env.conf; then
  cat >/etc/rabbitmq/rabbitmq-env.conf <<'CONF'
NODENAME=rabbit@localhost
ERL_EPMD_ADDRESS=127.0.0.1
export ERL_FLAGS="-kernel inet_dist_use_interface {127,0,0,1}"
CONF
fi
if [ ! -s /etc/rabbitmq/rabbitmq.conf ]; then
  echo 'listeners.tcp.local = 127.0.0.1:5672' >/etc/rabbitmq/rabbitmq.conf
fi

port_open() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }

if ! port_open && ! rabbitmqctl -q status >/dev/null 2>&1; then
  mkdir -p /var/log/rabbitmq /var/lib/rabbitmq
  chown -R rabbitmq:rabbitmq /var/log/rabbitmq /var/lib/rabbitmq 2>/dev/null || true
  rabbitmq-server -detached || true
fi
# The node may be up with the app stopped (someone's stop_app test interrupted): start it.
for _ in $(seq 1 60); do
  if port_open; then break; fi
  if rabbitmqctl -q await_startup --timeout 5 >/dev/null 2>&1; then break; fi
  rabbitmqctl -q start_app >/dev/null 2>&1 || true
  sleep 1
done
for _ in $(seq 1 30); do port_open && break; sleep 1; done
port_open || { echo "RabbitMQ does not answer on 127.0.0.1:5672" >&2; exit 1; }

existing=$(rabbitmqctl -q list_vhosts name 2>/dev/null || true)
for vhost in "${VHOSTS[@]}"; do
  if ! grep -qx -- "$vhost" <<<"$existing"; then
    rabbitmqctl -q add_vhost "$vhost" >/dev/null
    rabbitmqctl -q set_permissions -p "$vhost" guest '.*' '.*' '.*' >/dev/null
  fi
done
