/** How a `XenDriver` is set up; every field has a default that suits a Xen compute host. */
export interface XenDriverOptions {
  /**
   * libvirt URI of the Xen host: `xen:///system` on dom0 itself, `xen+tcp://HOST:PORT/system`
   * from elsewhere (the daemon is then asked for `xen:///system`).
   */
  uri?: string;
  /** dom0 directory holding AKI/ARI kernels and ramdisks, each file named by its image id. Default `/var/lib/nubo-xen/kernels`. */
  kernelDir?: string;
  /** dom0 directory of the driver's storage pool, whose size is the host's local disk. Default `/var/lib/nubo-xen/disks` (libvirt creates it). */
  storageDir?: string;
  /** Name of that (transient, directory) storage pool. Default `nubo-xen`. */
  storagePool?: string;
  /** Kernel command line when the image has no `os_command_line`. Default `console=hvc0`. */
  defaultCmdline?: string;
  /** Domain names are `<prefix><uuid>`; only domains with the prefix are this driver's. Default `nubo-`. */
  domainPrefix?: string;
  /** Reported as the compute node's IP. Default: the host part of `uri`, else 127.0.0.1. */
  hostIp?: string;
  /** Seconds a soft reboot waits for the guest to shut down before a hard one; default 60. */
  softRebootTimeoutSec?: number;
  /** Seconds `suspend` keeps trying while a just-started PV guest cannot be saved yet; default 120. */
  suspendWaitSec?: number;
  /** Keepalive of the libvirt connection. Default 5 s × 5. */
  keepalive?: { intervalMs: number; count: number } | false;
  connectTimeoutMs?: number;
}
