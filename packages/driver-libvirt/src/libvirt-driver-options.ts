/** How a `LibvirtDriver` is set up; every field has a default that suits a compute host. */
export interface LibvirtDriverOptions {
  /** libvirt URI; default `qemu:///system`. The unix socket is derived from it (or `socketPath`). */
  uri?: string;
  /** Overrides the socket derived from `uri`. */
  socketPath?: string;
  /**
   * Nova's `[libvirt] virt_type`: `qemu` (TCG software emulation, works everywhere), `kvm`,
   * or `auto` (default): `kvm` when `/dev/kvm` exists, libvirt offers kvm domains, and the
   * KVM module is not the paravirtual `kvm-pvm` variant (on which QEMU aborts); else `qemu`.
   */
  virtType?: 'qemu' | 'kvm' | 'auto';
  /** Where instance directories live (disk, console.log, libvirt.xml). Default `/var/lib/nubo/instances`. */
  instancesPath?: string;
  /** The image cache (Nova's `_base`). Default `<instancesPath>/_base`. */
  imageCachePath?: string;
  /** Domain names are `<prefix><uuid>`; only domains with the prefix are this driver's. Default `nubo-`. */
  domainPrefix?: string;
  /** Address VNC listens on, reported by `getConsole('vnc')`. Default `127.0.0.1`; null for no graphics. */
  vncListen?: string | null;
  /** Reported as the compute node's IP. Default: the first non-internal IPv4 address. */
  hostIp?: string;
  /** QEMU machine type. Default `pc`. */
  machine?: string;
  /** Seconds a soft reboot waits for the guest to shut down before a hard one; default 60. */
  softRebootTimeoutSec?: number;
  /** Keepalive of the libvirt connection. Default 5 s × 5. */
  keepalive?: { intervalMs: number; count: number } | false;
}
