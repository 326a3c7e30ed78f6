#!/usr/bin/env bash
# Installs and starts everything the test suite talks to (PostgreSQL, MariaDB, RabbitMQ,
# libvirtd + QEMU, the vSphere simulator, the OpenStack CLIs, …): every scripts/setup/*.sh,
# each idempotent and quick when its piece is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
# Every apt-get of every setup script waits for the dpkg lock instead of failing at once.
echo 'DPkg::Lock::Timeout "900";' > /etc/apt/apt.conf.d/90nubo-lock-timeout
apt-get -o DPkg::Lock::Timeout=600 update -qq || true
for setup in scripts/setup/*.sh; do
  echo "== $setup"
  bash "$setup"
done
