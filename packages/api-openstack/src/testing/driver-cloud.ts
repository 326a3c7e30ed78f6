import type { Cloud } from '@nubo/core';
import { silentLogger } from '@nubo/core';
import { startOpenStackApi, type OpenStackApi } from '../openstack-api.js';
import { startAllInOneCloud, type AllInOneCloudOptions } from './all-in-one-cloud.js';
import { openstackCli, type OpenStackCli } from './openstack-cli.js';

export interface DriverCloudOptions extends AllInOneCloudOptions {
  /** How long one `openstack` command may run (a real guest boot under `--wait` is slow). */
  cliTimeoutMs: number;
}

/** An all-in-one cloud with one driver, its OpenStack APIs on free ports, and the CLI pointed at them. */
export interface DriverCloud extends OpenStackCli {
  cloud: Cloud;
  api: OpenStackApi;
  /** Closes the APIs and stops the cloud; the driver and the directory stay the caller's. */
  stop(): Promise<void>;
}

export async function startDriverCloud(options: DriverCloudOptions): Promise<DriverCloud> {
  const cloud = await startAllInOneCloud(options);
  let api: OpenStackApi;
  try {
    api = await startOpenStackApi(cloud, { ports: { identity: 0, compute: 0, image: 0 }, logger: silentLogger });
  } catch (err) {
    await cloud.stop();
    throw err;
  }
  return {
    cloud,
    api,
    ...openstackCli(api.endpoints.identity, options.cliTimeoutMs),
    async stop() {
      await api.close();
      await cloud.stop();
    },
  };
}
