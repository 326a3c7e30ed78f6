#!/usr/bin/env bash
# The real OpenStack clients the api-openstack tests drive: Debian's openstackclient, novaclient
# and openstacksdk (on /usr/bin/python3). Idempotent and fast when they are already there.
set -euo pipefail

packages=(python3-openstackclient python3-novaclient python3-openstacksdk)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "openstack-clients.sh: installing ${missing[*]} needs root" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
