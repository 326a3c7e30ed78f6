#!/usr/bin/env bash
# Installs (if missing) and starts libvirtd + virtlogd for @nubo/driver-libvirt's tests.
# Idempotent and fast when everything is already there. Runs as root, no systemd needed.
# See recipes/libvirt.md: Debian 12 ships the monolithic libvirtd; QEMU runs guests in TCG.
set -euo pipefail

need=()
for p in libvirt-daemon-system libvirt-clients qemu-system-x86 qemu-utils; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ "${#need[@]}" -gt 0 ]; then
  echo "libvirt setup: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Wait for any other apt/dpkg run (other setup scripts may run at the same time).
  apt-get -o DPkg::Lock::Timeout=900 update -qq
  apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

up() { timeout 120 virsh -c qemu:///system version >/dev/null 2>&1; }
if ! up; then
  mkdir -p /run/libvirt
  /usr/sbin/virtlogd -d 2>/dev/null || true   # exits 1 if one already holds /run/virtlogd.pid
  /usr/sbin/libvirtd -d 2>/dev/null || true   # likewise for /run/libvirtd.pid
  for _ in $(seq 1 60); do up && break; sleep 1; done
  up || { echo "libvirtd did not come up" >&2; tail -n 20 /var/log/libvirt/libvirtd.log >&2 || true; exit 1; }
fi
if [ ! -S /run/libvirt/virtlogd-sock ]; then
  /usr/sbin/virtlogd -d 2>/dev/null || true
  for _ in $(seq 1 20); do [ -S /run/libvirt/virtlogd-sock ] && break; sleep 0.5; done
  [ -S /run/libvirt/virtlogd-sock ] || { echo "virtlogd is not running" >&2; exit 1; }
fi

# Leftover test guests outlive the test process that started them: clear ours (prefix nubotest-, which a driver with the default prefix nubo- does not claim).
for d in $(virsh -c qemu:///system list --all --name 2>/dev/null | grep '^nubotest-' || true); do
  virsh -c qemu:///system destroy "$d" >/dev/null 2>&1 || true
  virsh -c qemu:///system undefine "$d" --managed-save --snapshots-metadata --nvram >/dev/null 2>&1 || true
done
echo "libvirt setup: libvirtd is up ($(virsh -c qemu:///system version --daemon 2>/dev/null | grep -i 'running hypervisor' || echo qemu))"
