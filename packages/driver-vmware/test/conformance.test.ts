import { brokenImageSource, describeDriverConformance } from '@nubo/core/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { VMwareDriver } from '../src/index.js';
import { startVcsim, type Vcsim } from '../src/vcsim.js';

let sim: Vcsim;
beforeAll(async () => {
  sim = await startVcsim();
});
afterAll(async () => {
  await sim?.stop();
});

describeDriverConformance('vmware (vcsim)', {
  lifecycleEvents: true,
  // The driver caches images on the datastore by id (as Nova does), so a download cut short
  // is only a download if the image is not cached yet: give the broken one its own id.
  failingSpawnRequest: (instance) => ({
    instance,
    image: brokenImageSource({ id: `broken-${randomUUID()}` }),
    network: [],
    blockDevices: [],
  }),
  createDriver: async () => {
    const driver = new VMwareDriver({
      url: sim.sdkUrl,
      ca: sim.ca,
      username: 'nubo',
      password: 'secret',
      datacenter: 'DC0',
      computeResource: 'DC0_C0',
      datastore: 'LocalDS_0',
    });
    await driver.init('compute-vmware');
    return driver;
  },
});
