import { describeDriverConformance } from '@nubo/core/testing';
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
