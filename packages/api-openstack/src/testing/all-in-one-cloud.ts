import { join } from 'node:path';
import { Cloud, silentLogger, type HypervisorDriver } from '@nubo/core';

/** The admin the all-in-one test cloud bootstraps (user, password and project). */
export const TEST_ADMIN = { user: 'admin', password: 'admin-secret', project: 'admin' } as const;

export interface AllInOneCloudOptions {
  /** Scratch directory for the SQLite database and image bytes; the caller creates and removes it. */
  dir: string;
  /** The name of the cloud's only compute host. */
  host: string;
  /** That host's hypervisor driver; the caller closes it. */
  driver: HypervisorDriver;
}

/** Starts every service in this process on a SQLite file, with one compute host and `TEST_ADMIN`. */
export function startAllInOneCloud({ dir, host, driver }: AllInOneCloudOptions): Promise<Cloud> {
  return Cloud.start({
    database: { url: `sqlite:${join(dir, 'nubo.sqlite')}` },
    imageDataDir: join(dir, 'images'),
    logger: silentLogger,
    computeHosts: [{ host, driver }],
    bootstrap: { adminUser: TEST_ADMIN.user, adminPassword: TEST_ADMIN.password, adminProject: TEST_ADMIN.project },
  });
}
