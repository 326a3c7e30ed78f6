#!/usr/bin/env bash
# Prepares @nubo/driver-xen's real-Xen tests: installs what the shared xen-host scripts need
# (if missing) and builds the Xen 4.17 host image into a cache folder outside the repo (skipped
# when already built; build.sh itself skips finished stages). Booting the host belongs to the
# tests (packages/driver-xen/test/support/xen-host.ts), not here. Idempotent; runs as root.
# See shared/recipes/xen.md.
set -euo pipefail

ROOT="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
TOOLS="${XEN_HOST_TOOLS:-$ROOT/../shared/tools/xen-host}"
export XEN_HOST_DIR="${XEN_HOST_DIR:-/var/cache/nubo/xen-host}"

[ -x "$TOOLS/build.sh" ] || { echo "xen setup: $TOOLS/build.sh not found (set XEN_HOST_TOOLS)" >&2; exit 1; }

need=()
for p in debootstrap qemu-system-x86 qemu-utils libvirt-clients busybox-static socat cpio e2fsprogs openssh-client; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ "${#need[@]}" -gt 0 ]; then
  echo "xen setup: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=900 update -qq
  apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [ -f "$XEN_HOST_DIR/disk.raw" ] && [ -f "$XEN_HOST_DIR/.stage-image" ]; then
  echo "xen setup: host image already built in $XEN_HOST_DIR"
else
  echo "xen setup: building the Xen host image in $XEN_HOST_DIR (about 3 minutes cold)"
  mkdir -p "$XEN_HOST_DIR"
  "$TOOLS/build.sh" "$XEN_HOST_DIR"
fi
