#!/usr/bin/env bash
# Prepares @nubo/driver-xen's real-Xen tests: installs what the shared xen-host scripts need
# (if missing) and builds the Xen 4.17 host image into a cache folder outside the repo (skipped
# when already built; build.sh itself skips finished stages). Booting the host belongs to the
# tests (packages/driver-xen/test/support/xen-host.ts), not here. Idempotent; runs as root.
# See shared/recipes/xen.md.
#
# On top of the shared image, dom0 gets what Nubo's guests with disks need (stage "extras"):
#   - qemu-system-xen: the qdisk backend that serves file-backed (raw/qcow2) disks to PV guests
#   - qemu-utils: qemu-img, which libvirt's directory pool runs to make qcow2 overlays
#   - /var/lib/nubo-xen/guest/initrd-disks.img: a test initramfs that loads xen-blkfront and
#     prints each xvd* disk and the first bytes of xvda on the console
# then build.sh runs again to remake disk.raw from the changed tree (~20 s).
set -euo pipefail

ROOT_REPO="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
TOOLS="${XEN_HOST_TOOLS:-$ROOT_REPO/../shared/tools/xen-host}"
export XEN_HOST_DIR="${XEN_HOST_DIR:-/var/cache/nubo/xen-host}"
EXTRAS_MARK="$XEN_HOST_DIR/.stage-nubo-extras-v1"

[ -x "$TOOLS/build.sh" ] || { echo "xen setup: $TOOLS/build.sh not found (set XEN_HOST_TOOLS)" >&2; exit 1; }

need=()
for p in debootstrap qemu-system-x86 qemu-utils libvirt-clients busybox-static socat cpio e2fsprogs openssh-client xz-utils; do
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

[ -f "$EXTRAS_MARK" ] && { echo "xen setup: dom0 extras (qemu-system-xen, qemu-utils, disk test guest) already in the image"; exit 0; }

RFS="$XEN_HOST_DIR/rootfs"
[ -d "$RFS/etc" ] || { echo "xen setup: $RFS missing; rebuild with FORCE=1 $TOOLS/build.sh $XEN_HOST_DIR" >&2; exit 1; }
MOUNTED=()
cleanup() { local i; for ((i=${#MOUNTED[@]}-1; i>=0; i--)); do umount -l "${MOUNTED[$i]}" 2>/dev/null || true; done; MOUNTED=(); rm -f "$RFS/usr/sbin/policy-rc.d"; }
trap cleanup EXIT
for d in proc sys dev dev/pts; do
  mountpoint -q "$RFS/$d" && continue
  case $d in
    proc) mount -t proc proc "$RFS/proc" ;;
    sys) mount -t sysfs sys "$RFS/sys" ;;
    dev) mount --bind /dev "$RFS/dev" ;;
    dev/pts) mount -t devpts devpts "$RFS/dev/pts" ;;
  esac
  MOUNTED+=("$RFS/$d")
done
in_root() { chroot "$RFS" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }
printf '#!/bin/sh\nexit 101\n' >"$RFS/usr/sbin/policy-rc.d"; chmod +x "$RFS/usr/sbin/policy-rc.d"
echo "xen setup: installing qemu-system-xen and qemu-utils into dom0 (log: $XEN_HOST_DIR/build.log)"
in_root apt-get -o DPkg::Lock::Timeout=300 update >>"$XEN_HOST_DIR/build.log" 2>&1
in_root apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends qemu-system-xen qemu-utils >>"$XEN_HOST_DIR/build.log" 2>&1 \
  || { echo "xen setup: apt-get install in the image failed; tail of build.log:" >&2; tail -n 20 "$XEN_HOST_DIR/build.log" >&2; exit 1; }
in_root apt-get clean >>"$XEN_HOST_DIR/build.log" 2>&1
cleanup

# The disk test guest: the image's kernel with an initramfs that loads xen-blkfront (a module
# in Debian's kernel) and reports the disks it sees.
KVER="$(ls -1 "$RFS/lib/modules" | sort -V | tail -n1)"
BLK="$(find "$RFS/lib/modules/$KVER" -name 'xen-blkfront.ko*' | head -n1)"
[ -n "$BLK" ] || { echo "xen setup: no xen-blkfront module in $RFS/lib/modules/$KVER" >&2; exit 1; }
GT="$(mktemp -d)"
mkdir -p "$GT"/{bin,dev,proc,sys}
cp /bin/busybox "$GT/bin/busybox"
mknod -m 600 "$GT/dev/console" c 5 1
case "$BLK" in
  *.xz) xz -dc "$BLK" >"$GT/xen-blkfront.ko" ;;
  *.zst) zstd -qdc "$BLK" >"$GT/xen-blkfront.ko" ;;
  *) cp "$BLK" "$GT/xen-blkfront.ko" ;;
esac
cat >"$GT/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
echo "NUBO-XEN-GUEST-OK kernel=$(uname -r) mem=$(awk '/MemTotal/{print $2}' /proc/meminfo)kB"
insmod /xen-blkfront.ko
for i in $(seq 1 60); do [ -e /sys/block/xvda ] && break; sleep 1; done
for d in /sys/block/xvd*; do [ -e "$d" ] && echo "NUBO-XEN-DISK ${d##*/} bytes=$(( $(cat "$d/size") * 512 ))"; done
[ -b /dev/xvda ] && echo "NUBO-XEN-XVDA $(head -c 64 /dev/xvda | tr -c 'A-Za-z0-9=_-' ' ')"
echo "NUBO-XEN-DISKS-DONE"
while :; do sleep 3600; done
EOF
chmod +x "$GT/init"
mkdir -p "$RFS/var/lib/nubo-xen/guest"
(cd "$GT" && find . | cpio -o -H newc --quiet | gzip -9) >"$RFS/var/lib/nubo-xen/guest/initrd-disks.img"
rm -rf "$GT"

echo "xen setup: remaking disk.raw with the extras"
"$TOOLS/build.sh" "$XEN_HOST_DIR"
touch "$EXTRAS_MARK"
echo "xen setup: dom0 extras installed"
