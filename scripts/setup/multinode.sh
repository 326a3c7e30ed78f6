#!/usr/bin/env bash
# The RabbitMQ vhost of the multi-node example (examples/multi-node). RabbitMQ itself is started
# by rabbitmq.sh, which runs first; the multi-node tests make a throw-away vhost per test.
set -euo pipefail

for vhost in nubo-multinode; do
  if ! rabbitmqctl -q list_vhosts name 2>/dev/null | grep -qx -- "$vhost"; then
    rabbitmqctl -q add_vhost "$vhost" >/dev/null
  fi
  rabbitmqctl -q set_permissions -p "$vhost" guest '.*' '.*' '.*' >/dev/null
done
