// `nubo compute --driver xen` on the real Xen host: a compute service process of a multi-node
// cloud (its own PostgreSQL database and RabbitMQ vhost, conductor and scheduler processes, an
// API worker in this process playing the user) drives the host; a server booted through the
// compute API becomes a PV domain there, and deleting it removes the domain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCluster, waitFor } from '../../../cloud/test/support/test-cluster.js';
import { domainNames, driverOptions, PREFIX } from '../support/xen-guest.js';

describe('a nubo compute process with --driver xen in a multi-node cloud', () => {
  let c: TestCluster;

  beforeAll(async () => {
    c = await TestCluster.start({ config: { compute: { driver: 'xen', xen: { ...driverOptions() } } } });
    await c.spawnAll([
      { name: 'conductor1', args: ['conductor', '--host', 'conductor1'] },
      { name: 'scheduler1', args: ['scheduler', '--host', 'scheduler1'] },
      { name: 'xen-compute', args: ['compute', '--host', 'xen-mn-1', '--driver', 'xen'] },
    ]);
  }, 300_000);

  afterAll(async () => {
    await c?.stop();
  }, 240_000);

  it('boots a server as a PV domain on the Xen host, and deleting the server removes it', async () => {
    const image = await c.client.images.create(c.admin, {
      name: 'xen-pv', diskFormat: 'raw', containerFormat: 'bare', visibility: 'public',
      properties: { kernel_id: 'vmlinuz', ramdisk_id: 'initrd.img', os_command_line: 'console=hvc0 quiet' },
    });
    await c.client.images.upload(c.admin, image.id, (async function* () { yield new Uint8Array(1 << 20); })());
    const { servers } = await c.client.computeApi.createServers(c.admin, { name: 'xen-mn', flavorRef: '1', imageRef: image.id, minCount: 1, maxCount: 1 });
    const uuid = servers[0]!.instance.uuid;

    const built = await waitFor(() => c.server(uuid), (s) => s.status !== 'BUILD', 480_000, 'the build settled');
    expect([built.status, built.instance.host, built.fault?.message ?? null]).toEqual(['ACTIVE', 'xen-mn-1', null]);
    expect(await domainNames()).toContain(`${PREFIX}${uuid}`);

    await c.client.computeApi.deleteServer(c.admin, uuid);
    await waitFor(() => domainNames(), (names) => !names.includes(`${PREFIX}${uuid}`), 240_000, 'the domain removed');
  }, 900_000);
});
