// The all-in-one cloud with vSphere as its hypervisor: Identity, Compute and Image APIs for
// the OpenStack CLI, one compute host "vmware-1" driven by VMwareDriver.
//   pnpm --filter @nubo/driver-vmware all-in-one
// Without NUBO_VSPHERE_URL it starts govmomi's vSphere simulator (vcsim, see
// scripts/setup/vcsim.sh) and uses its inventory; with it, it connects to that vCenter:
//   NUBO_VSPHERE_URL=https://vc/sdk NUBO_VSPHERE_USER=… NUBO_VSPHERE_PASSWORD=… NUBO_VSPHERE_CA=/path/ca.pem
//   NUBO_VSPHERE_DATACENTER=DC0 NUBO_VSPHERE_CLUSTER=DC0_C0 NUBO_VSPHERE_DATASTORE=LocalDS_0
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Cloud, JsonLogger } from '@nubo/core';
import { startOpenStackApi } from '@nubo/api-openstack';
import { VMwareDriver } from '../src/index.js';
import { startVcsim, type Vcsim } from '../src/vcsim.js';

const env = process.env;
const dataDir = resolve(env.NUBO_DATA_DIR ?? 'data-vmware');
const adminPassword = env.NUBO_ADMIN_PASSWORD ?? 'admin-secret';
mkdirSync(dataDir, { recursive: true });
const logger = new JsonLogger();

let sim: Vcsim | undefined;
if (!env.NUBO_VSPHERE_URL) sim = await startVcsim();
const driver = new VMwareDriver({
  url: env.NUBO_VSPHERE_URL ?? sim!.sdkUrl,
  ca: env.NUBO_VSPHERE_CA ? readFileSync(env.NUBO_VSPHERE_CA) : sim?.ca,
  username: env.NUBO_VSPHERE_USER ?? 'nubo',
  password: env.NUBO_VSPHERE_PASSWORD ?? 'nubo',
  datacenter: env.NUBO_VSPHERE_DATACENTER ?? 'DC0',
  computeResource: env.NUBO_VSPHERE_CLUSTER ?? 'DC0_C0',
  datastore: env.NUBO_VSPHERE_DATASTORE ?? 'LocalDS_0',
  network: env.NUBO_VSPHERE_NETWORK,
  logger,
});

const cloud = await Cloud.start({
  database: { url: `sqlite:${join(dataDir, 'nubo.sqlite')}` },
  imageDataDir: join(dataDir, 'images'),
  hostName: 'all-in-one-vmware',
  logger,
  computeHosts: [{ host: 'vmware-1', driver }],
  bootstrap: { adminUser: 'admin', adminPassword, adminProject: 'admin' },
});
// NUBO_API_PORTS=free picks free ports (when 5000/8774/9292 are taken).
const ports = env.NUBO_API_PORTS === 'free' ? { identity: 0, compute: 0, image: 0 } : undefined;
const api = await startOpenStackApi(cloud, { host: env.NUBO_HOST ?? '127.0.0.1', ports });

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await api.close();
  await cloud.stop();
  await sim?.stop();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

process.stderr.write(
  [
    '',
    `Nubo all-in-one on ${sim ? 'the vSphere simulator (vcsim) at ' + sim.sdkUrl : env.NUBO_VSPHERE_URL}`,
    `identity ${api.endpoints.identity}, compute ${api.endpoints.compute}, image ${api.endpoints.image}. Ctrl-C to stop.`,
    '',
    `export OS_AUTH_URL=${api.endpoints.identity}/v3 OS_IDENTITY_API_VERSION=3 OS_USERNAME=admin OS_PASSWORD=${adminPassword}`,
    'export OS_PROJECT_NAME=admin OS_USER_DOMAIN_NAME=Default OS_PROJECT_DOMAIN_NAME=Default',
    'openstack image create --disk-format raw --container-format bare --public --file disk.raw tiny',
    'openstack server create --flavor m1.tiny --image tiny --wait web-1',
    '',
  ].join('\n'),
);
