import type { QuotaLimits } from '../model/quota.js';
import type { Logger } from '../logging/logger.js';
import type { DatabaseOptions } from '../persistence/database-options.js';
import type { HostSelector } from '../ports/host-selector.js';
import type { HypervisorDriver } from '../ports/hypervisor-driver.js';
import type { Transport } from '../ports/transport.js';
import type { RulePolicyEngineOptions } from '../policy/rule-policy-engine.js';
import type { BootstrapOptions } from '../services/identity/builtin-identity-provider.js';
import type { BuiltinNetworkOptions } from '../services/network/builtin-network-service.js';
import type { AllocationRatios } from '../services/compute/resource-tracker.js';

/** One compute host run by this process: its name and the driver of its hypervisor. */
export interface ComputeHostOptions {
  host: string;
  driver: HypervisorDriver;
  availabilityZone?: string;
}

/** Everything a cloud (or one process of it) is assembled from. Only `database` is required. */
export interface CloudOptions {
  database: DatabaseOptions;
  /** The message bus; default an in-process transport (everything in this one process). */
  transport?: Transport;
  /** Which services this process runs. Default: all of them (the all-in-one). */
  services?: { api?: boolean; scheduler?: boolean; conductor?: boolean };
  /** Compute hosts this process runs (each with its own driver). */
  computeHosts?: ComputeHostOptions[];
  /** This process's name on the bus (scheduler and conductor host queues). Default `os.hostname()`. */
  hostName?: string;
  logger?: Logger;
  /** Where the built-in image service keeps image bytes. Default `./data/images`. */
  imageDataDir?: string;
  policy?: RulePolicyEngineOptions;
  quotaDefaults?: Partial<QuotaLimits>;
  network?: BuiltinNetworkOptions;
  /** Replaces the default filter/weigher pipeline (e.g. with @nubo/scheduler-filters). */
  hostSelector?: HostSelector;
  /** Creates the admin user and project on start (idempotent). */
  bootstrap?: BootstrapOptions;
  identity?: { tokenTtlSeconds?: number; passwordHashCost?: number };
  allocationRatios?: Partial<AllocationRatios>;
  defaultAvailabilityZone?: string;
  timings?: Partial<CloudTimings>;
  /** Hosts tried for one build before ERROR (Nova's max_attempts). Default 3. */
  maxAttempts?: number;
}

export interface CloudTimings {
  reportIntervalSec: number;
  serviceDownTimeSec: number;
  resourceUpdateIntervalSec: number;
  /**
   * Least ms between two resource reports of one compute host: builds finishing in a burst
   * share a report. 0 reports after every build (fine in one process); `nubo` services use 1000.
   */
  resourceReportMinIntervalMs: number;
  syncPowerStateIntervalSec: number;
  rpcTimeoutMs: number;
  /** How often the scheduler re-reads every compute node from the database. */
  schedulerRefreshMs: number;
}

export const DEFAULT_TIMINGS: CloudTimings = {
  reportIntervalSec: 10,
  serviceDownTimeSec: 60,
  resourceUpdateIntervalSec: 60,
  resourceReportMinIntervalMs: 0,
  syncPowerStateIntervalSec: 600,
  rpcTimeoutMs: 60_000,
  schedulerRefreshMs: 60_000,
};
