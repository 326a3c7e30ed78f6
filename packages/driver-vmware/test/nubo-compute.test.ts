import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The multi-process harness of the `nubo` command (package @nubo/cloud, which depends on this
// one, so it is reached by path rather than as a dependency).
import { TestCluster, waitFor } from '../../cloud/test/support/test-cluster.js';
import { findByUuid, propNumber, propString, retrieveOne, VimClient } from '../src/vim/index.js';
import { startVcsim, type Vcsim } from '../src/vcsim.js';

// `nubo compute --driver vmware` as its own process beside `nubo conductor` and `nubo
// scheduler`, on RabbitMQ and PostgreSQL, with vcsim as vSphere: a server the API asks for
// lands as a VM in the simulator.
describe('nubo compute --driver vmware (separate processes, RabbitMQ, PostgreSQL, vcsim)', () => {
  let sim: Vcsim;
  let cluster: TestCluster;
  let vim: VimClient;

  beforeAll(async () => {
    sim = await startVcsim();
    const vmware = {
      url: sim.sdkUrl,
      caFile: sim.caFile,
      username: 'nubo',
      password: 'secret',
      datacenter: 'DC0',
      computeResource: 'DC0_C0',
      datastore: 'LocalDS_0',
    };
    cluster = await TestCluster.start({ engine: 'postgres', config: { compute: { driver: 'vmware', vmware } } });
    await cluster.spawnAll([
      { name: 'conductor', args: ['conductor', '--host', 'conductor1'] },
      { name: 'scheduler', args: ['scheduler', '--host', 'scheduler1'] },
      { name: 'compute', args: ['compute', '--host', 'vmware-1', '--driver', 'vmware'] },
    ]);
    vim = await VimClient.connect({ url: sim.sdkUrl, ca: sim.ca, username: 'reader', password: 'secret' });
  }, 300_000);

  afterAll(async () => {
    await vim?.close();
    await cluster?.stop();
    await sim?.stop();
  }, 120_000);

  it('boots a server onto vSphere through the compute process and deletes it again', async () => {
    const [uuid] = await cluster.createServers(1, 'vmw');
    const server = await waitFor(() => cluster.server(uuid!), (s) => s.status !== 'BUILD', 120_000, 'build settled');
    expect(server.status).toBe('ACTIVE');
    expect(server.instance.host).toBe('vmware-1');

    const ref = await findByUuid(vim.conn, vim.searchIndex, uuid!, { instanceUuid: true });
    const vm = await retrieveOne(vim.conn, vim.propertyCollector, ref!, ['name', 'runtime.powerState', 'summary.config.memorySizeMB']);
    expect(propString(vm!, 'name')).toBe(uuid);
    expect(propString(vm!, 'runtime.powerState')).toBe('poweredOn');
    expect(propNumber(vm!, 'summary.config.memorySizeMB')).toBe(512);

    await cluster.client.computeApi.deleteServer(cluster.admin, uuid!);
    await waitFor(
      () => findByUuid(vim.conn, vim.searchIndex, uuid!, { instanceUuid: true }),
      (r) => r === undefined,
      120_000,
      'VM removed from vSphere',
    );
  }, 240_000);
});
