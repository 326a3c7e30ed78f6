import type { BootstrapOptions, BuiltinNetworkOptions, CloudTimings, FakeDriverOptions, LogLevel } from '@nubo/core';

/** Which hypervisor driver a `nubo compute` process drives. */
export type DriverName = 'fake' | 'libvirt' | 'vmware' | 'xen';

/**
 * The one configuration file every `nubo` process of a cloud reads (JSON or YAML), as Nova's
 * nova.conf: each process takes the part it needs. Environment variables override it (see
 * `applyEnvironment`).
 */
export interface NuboConfig {
  /** `postgres://…`, `mysql://…`/`mariadb://…` (or `sqlite:PATH` for a single machine). */
  database: { url: string; poolSize?: number };
  /** RabbitMQ: `amqp://user:pass@host:port/vhost` and the cloud's topic exchange. */
  amqp: { url: string; exchange: string; prefetch?: number };
  /** This process's name on the bus and in `os-services`. Default: the machine's hostname. */
  hostName?: string;
  /** Where image bytes live: a directory every process of the cloud can read (shared storage). */
  imageDataDir: string;
  logLevel: LogLevel;
  /** `nubo api`: where the OpenStack APIs listen. */
  api: { host: string; ports: { identity: number; compute: number; image: number } };
  /** `nubo api`: the admin user and project created on start (idempotent). */
  bootstrap?: BootstrapOptions;
  timings: Partial<CloudTimings>;
  /** The built-in network service's address range (every process must agree). */
  network?: BuiltinNetworkOptions;
  /** Hosts tried per build before ERROR (Nova's max_attempts). */
  maxAttempts?: number;
  /** Seconds between the conductor's sweeps for builds a dead compute host never finished. */
  staleBuildSweepSec: number;
  /** `nubo compute`: the driver and its options, per driver. */
  compute: {
    driver: DriverName;
    availabilityZone?: string;
    fake?: FakeDriverOptions;
    libvirt?: Record<string, unknown>;
    vmware?: Record<string, unknown>;
    /** XenDriverOptions of `@nubo/driver-xen`: the dom0's libvirt URI, kernel and storage directories… */
    xen?: Record<string, unknown>;
  };
}

export const DEFAULT_CONFIG: NuboConfig = {
  database: { url: 'postgres://nubo@127.0.0.1:5432/nubo' },
  amqp: { url: 'amqp://guest:guest@127.0.0.1:5672', exchange: 'nubo' },
  imageDataDir: '/var/lib/nubo/images',
  logLevel: 'info',
  api: { host: '127.0.0.1', ports: { identity: 5000, compute: 8774, image: 9292 } },
  // Many compute processes share one conductor: a burst of builds on a host shares a report.
  timings: { resourceReportMinIntervalMs: 1000 },
  staleBuildSweepSec: 10,
  compute: { driver: 'fake' },
};
