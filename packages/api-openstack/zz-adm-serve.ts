import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_TOKENS, adminApiModule, Cloud, FakeDriver, JsonLogger } from '@nubo/core';
import { startOpenStackApi } from '@nubo/api-openstack';
const dir = mkdtempSync(join(tmpdir(), 'adm-'));
const cloud = await Cloud.start({
  database: { url: `sqlite:${join(dir, 'db.sqlite')}` }, imageDataDir: join(dir, 'images'), hostName: 'dev',
  logger: new JsonLogger(() => undefined, 'error'),
  computeHosts: [{ host: 'compute1', driver: new FakeDriver({ capacity: { vcpus: 32, memoryMb: 65536, localGb: 2000 } }) }],
  bootstrap: { adminUser: 'admin', adminPassword: 'secret', adminProject: 'admin' }, identity: { passwordHashCost: 10 },
});
if (!cloud.container.isBound(ADMIN_TOKENS.Flavors)) await cloud.container.load(adminApiModule);
const api = await startOpenStackApi(cloud, { ports: { identity: 15000, compute: 18774, image: 19292 } });
console.log(JSON.stringify(api.endpoints));
