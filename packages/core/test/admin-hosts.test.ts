import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadRequest, FakeDriver, TOKENS, type HostStateCache, Forbidden, NotFound, type RequestContext } from '@nubo/core';
import { ADMIN_TOKENS } from '../src/composition/admin-tokens.js';
import type { AvailabilityZoneService } from '../src/services/api/availability-zone-service.js';
import type { HostAdminService } from '../src/services/api/host-admin-service.js';
import { newProjectMember, startTestCloud, waitFor, type TestCloud } from './support/start-test-cloud.js';

let t: TestCloud;
let hosts: HostAdminService;
let zones: AvailabilityZoneService;
let member: RequestContext;

beforeAll(async () => {
  const big = () => new FakeDriver({ capacity: { vcpus: 16, memoryMb: 32768, localGb: 1000 } });
  t = await startTestCloud(0, {
    computeHosts: [
      { host: 'compute1', driver: big() }, { host: 'compute2', driver: big() },
      { host: 'edge1', driver: new FakeDriver({ capacity: { vcpus: 4, memoryMb: 8192, localGb: 100 } }), availabilityZone: 'edge' },
    ],
  });
  hosts = t.cloud.container.get(ADMIN_TOKENS.HostAdmin);
  zones = t.cloud.container.get(ADMIN_TOKENS.AvailabilityZones);
  member = await newProjectMember(t.cloud, 'hosts-a');
  await waitFor(() => hosts.listHypervisors(t.admin), (l) => l.length === 3);
  // The scheduler learns of the hosts from their first reports, a moment after the database does.
  const cache = t.cloud.container.get<HostStateCache>(TOKENS.HostStateCache);
  await waitFor(() => cache.candidates(), (c) => c.length === 3 && c.every((h) => h.serviceUp && !h.serviceDisabled));
});
afterAll(() => t?.stop());

describe('hypervisors', () => {
  it('lists each compute node, up and enabled, with its resources', async () => {
    const list = await hosts.listHypervisors(t.admin, { detail: true });
    expect(list.map((h) => h.host).sort()).toEqual(['compute1', 'compute2', 'edge1']);
    const edge = list.find((h) => h.host === 'edge1')!;
    expect(edge).toMatchObject({ state: 'up', status: 'enabled', vcpus: 4, memoryMb: 8192, localGb: 100, runningVms: 0 });
    expect(edge.freeRamMb).toBe(edge.memoryMb - edge.memoryMbUsed);
    expect(edge.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((await hosts.getHypervisor(t.admin, String(edge.id))).hypervisorHostname).toBe(edge.hypervisorHostname);
    expect((await hosts.getHypervisor(t.admin, edge.uuid)).id).toBe(edge.id);
    await expect(hosts.getHypervisor(t.admin, '999999')).rejects.toThrow("Hypervisor with ID '999999' could not be found.");
  });

  it('sums the enabled hypervisors in statistics', async () => {
    const s = await hosts.statistics(t.admin);
    expect(s.count).toBe(3);
    expect(s.vcpus).toBe(16 + 16 + 4);
    expect(s.memoryMb).toBe(32768 * 2 + 8192);
  });

  it('shows the servers on a hypervisor when asked', async () => {
    const { servers } = await t.cloud.computeApi.createServers(member, { name: 'hv-vm', flavorRef: '1', imageRef: t.imageId, networks: 'none' });
    const uuid = servers[0]!.instance.uuid;
    const done = await waitFor(() => t.cloud.computeApi.getServer(member, uuid), (s) => s.status !== 'BUILD');
    expect([done.status, done.fault?.message]).toEqual(['ACTIVE', undefined]);
    const listed = await hosts.listHypervisors(t.admin, { withServers: true });
    expect(listed.find((h) => h.host === done.instance.host)!.servers).toEqual([{ name: 'hv-vm', uuid }]);
    expect(listed.filter((h) => h.host !== done.instance.host).every((h) => h.servers!.length === 0)).toBe(true);
    expect((await hosts.listHypervisors(t.admin, { hostnamePattern: 'edge' })).map((h) => h.host)).toEqual(['edge1']);
    await expect(hosts.listHypervisors(t.admin, { hostnamePattern: 'nomatch' })).rejects.toThrow("No hypervisor matching 'nomatch' could be found.");
  });

  it('is admin-only', async () => {
    await expect(hosts.listHypervisors(member)).rejects.toBeInstanceOf(Forbidden);
    await expect(hosts.statistics(member)).rejects.toBeInstanceOf(Forbidden);
    await expect(hosts.getHypervisor(member, '1')).rejects.toBeInstanceOf(Forbidden);
  });
});

describe('services', () => {
  it('lists the compute services with zone, status and state, filtered by host and binary', async () => {
    const all = await hosts.listServices(t.admin);
    expect(all.map((s) => `${s.binary}@${s.host}:${s.zone}:${s.status}:${s.state}`).sort()).toEqual([
      'nubo-compute@compute1:nova:enabled:up', 'nubo-compute@compute2:nova:enabled:up', 'nubo-compute@edge1:edge:enabled:up',
    ]);
    expect((await hosts.listServices(t.admin, { host: 'edge1' })).map((s) => s.host)).toEqual(['edge1']);
    expect((await hosts.listServices(t.admin, { binary: 'nova-compute' })).length).toBe(3);
    expect((await hosts.listServices(t.admin, { binary: 'nubo-scheduler' })).length).toBe(0);
  });

  it('disables a compute service with a reason, which hides its zone and stops scheduling there', async () => {
    const svc = await hosts.updateServiceByHost(t.admin, 'edge1', 'nova-compute', { status: 'disabled', disabledReason: 'maintenance' });
    expect(svc).toMatchObject({ status: 'disabled', disabledReason: 'maintenance' });
    expect((await hosts.getHypervisor(t.admin, String(svc.id))).status).toBe('disabled');
    expect((await hosts.statistics(t.admin)).count).toBe(2);
    expect((await zones.list(member)).map((z) => [z.zoneName, z.available])).toEqual([['nova', true], ['edge', false]]);
    expect(await zones.availableZoneNames()).toEqual(['nova']);
    const back = await hosts.updateService(t.admin, svc.uuid, { status: 'enabled' });
    expect(back).toMatchObject({ status: 'enabled', disabledReason: null });
  });

  it('forces a service down and back up', async () => {
    const [svc] = await hosts.listServices(t.admin, { host: 'compute2' });
    expect((await hosts.updateService(t.admin, svc!.uuid, { forcedDown: true })).state).toBe('down');
    expect((await hosts.listServices(t.admin, { host: 'compute2' }))[0]).toMatchObject({ forcedDown: true, state: 'down' });
    expect((await hosts.updateService(t.admin, svc!.uuid, { forcedDown: false })).state).toBe('up');
  });

  it('refuses bad updates with 400 and unknown services with 404', async () => {
    const [svc] = await hosts.listServices(t.admin, { host: 'compute1' });
    await expect(hosts.updateService(t.admin, svc!.uuid, {})).rejects.toThrow("No updates were requested. Fields 'status' or 'forced_down' should be specified.");
    await expect(hosts.updateService(t.admin, svc!.uuid, { status: 'enabled', disabledReason: 'x' })).rejects.toBeInstanceOf(BadRequest);
    await expect(hosts.updateService(t.admin, 'not-a-uuid', { status: 'enabled' })).rejects.toThrow('Invalid uuid not-a-uuid');
    await expect(hosts.updateService(t.admin, '00000000-0000-4000-8000-000000000000', { status: 'enabled' })).rejects.toBeInstanceOf(NotFound);
    await expect(hosts.updateServiceByHost(t.admin, 'compute1', 'nova-scheduler', { status: 'disabled' })).rejects.toThrow('Only nova-compute services can be updated.');
    await expect(hosts.updateServiceByHost(t.admin, 'ghost', 'nova-compute', { status: 'disabled' })).rejects.toBeInstanceOf(NotFound);
    expect((await hosts.listServices(t.admin, { host: 'compute1' }))[0]!.status).toBe('enabled');
  });

  it('refuses to delete a compute service that hosts instances', async () => {
    const busy = (await t.cloud.computeApi.listServers(t.admin, { allTenants: true }))[0]!.instance.host!;
    const [svc] = await hosts.listServices(t.admin, { host: busy });
    await expect(hosts.deleteService(t.admin, svc!.uuid)).rejects.toThrow('Unable to delete compute service that is hosting instances.');
    expect((await hosts.listServices(t.admin, { host: busy })).length).toBe(1);
  });

  it('is admin-only', async () => {
    await expect(hosts.listServices(member)).rejects.toBeInstanceOf(Forbidden);
    await expect(hosts.updateServiceByHost(member, 'compute1', 'nova-compute', { status: 'disabled' })).rejects.toBeInstanceOf(Forbidden);
    await expect(hosts.deleteService(member, '1')).rejects.toBeInstanceOf(Forbidden);
  });
});

describe('availability zones', () => {
  it('lists zones for anyone and the detailed view with hosts for admins only', async () => {
    expect((await zones.list(member)).map((z) => z.zoneName)).toEqual(['edge', 'nova']);
    await expect(zones.detail(member)).rejects.toBeInstanceOf(Forbidden);
    const detail = await zones.detail(t.admin);
    const nova = detail.find((z) => z.zoneName === 'nova')!;
    expect(Object.keys(nova.hosts!).sort()).toEqual(['compute1', 'compute2']);
    expect(nova.hosts!.compute1!['nubo-compute']).toMatchObject({ available: true, active: true });
  });
});
