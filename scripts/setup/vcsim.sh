#!/usr/bin/env bash
# Builds govmomi's vSphere API simulator (vcsim) from Debian's packages into a cache dir, once.
# Used by @nubo/driver-vmware's tests and bench (they read NUBO_VCSIM_BIN or the default path).
# Also makes sure the OpenStack CLI is there for the driver's end-to-end test.
# Usage (root): scripts/setup/vcsim.sh   — prints the binary's path. Idempotent and fast when built.
set -euo pipefail
if ! command -v openstack >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -o DPkg::Lock::Timeout=900 -y --no-install-recommends python3-openstackclient >&2
fi
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
cache=${NUBO_VCSIM_CACHE:-/var/cache/nubo/vcsim}
bin="$cache/vcsim"
tools="$repo/../shared/tools/vcsim"
[ -d "$tools" ] || tools=/work/shared/tools/vcsim
stamp="$cache/vcsim.sha256"
want=$(cat "$tools/main.go" "$tools/build.sh" | sha256sum | cut -d' ' -f1)
if [ -x "$bin" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "$bin"
  exit 0
fi
mkdir -p "$cache"
# Install the Debian packages build.sh needs ourselves, waiting for apt's lock: other setup
# scripts may be running apt at the same time.
pkgs=(golang-go golang-github-vmware-govmomi-dev golang-github-google-uuid-dev)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt_opts=(-o DPkg::Lock::Timeout=900 -y --no-install-recommends)
  apt-get install "${apt_opts[@]}" "${missing[@]}" >&2 \
    || { apt-get -o DPkg::Lock::Timeout=900 update >&2 && apt-get install "${apt_opts[@]}" "${missing[@]}" >&2; }
fi
export GOCACHE=${GOCACHE:-$cache/gocache}
bash "$tools/build.sh" "$bin.tmp" >/dev/null
mv -f "$bin.tmp" "$bin"
echo "$want" > "$stamp"
echo "$bin"
