import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InstanceInvalidState, TOKENS, type Notification, type QuotaEngine, type ServerView } from '@nubo/core';
import { startTestCloud, waitFor, type TestCloud } from './support/start-test-cloud.js';

describe('a server through its life: power actions, snapshot, resize, rebuild, delete', () => {
  let t: TestCloud;
  let uuid: string;
  const seen: Notification[] = [];
  const view = () => t.cloud.computeApi.getServer(t.admin, uuid);
  const until = (status: string) => waitFor(view, (v: ServerView) => v.status === status && v.instance.taskState === null);

  beforeAll(async () => {
    t = await startTestCloud(1);
    t.cloud.notifications.events.subscribe((n) => seen.push(n));
    const { servers } = await t.cloud.computeApi.createServers(t.admin, { name: 'life', flavorRef: '1', imageRef: t.imageId });
    uuid = servers[0]!.instance.uuid;
    await until('ACTIVE');
  });
  afterAll(async () => { await t.stop(); });

  it('stops and starts, and the driver agrees', async () => {
    await t.cloud.serverActions.stop(t.admin, uuid);
    expect((await until('SHUTOFF')).instance.powerState).toBe(4);
    expect((await t.drivers[0]!.getInfo(uuid)).state).toBe(4);
    await t.cloud.serverActions.start(t.admin, uuid);
    expect((await until('ACTIVE')).instance.powerState).toBe(1);
  });

  it('refuses an action the state does not allow with 409 and Nova’s message, changing nothing', async () => {
    const err = await t.cloud.serverActions.start(t.admin, uuid).catch((e) => e);
    expect(err).toBeInstanceOf(InstanceInvalidState);
    expect(err.status).toBe(409);
    expect(err.message).toBe(`Cannot 'start' instance ${uuid} while it is in vm_state active`);
    expect((await view()).instance.taskState).toBeNull();
  });

  it('pauses/unpauses, suspends/resumes and reboots', async () => {
    await t.cloud.serverActions.pause(t.admin, uuid);
    expect((await until('PAUSED')).instance.powerState).toBe(3);
    await t.cloud.serverActions.unpause(t.admin, uuid);
    await until('ACTIVE');
    await t.cloud.serverActions.suspend(t.admin, uuid);
    expect((await until('SUSPENDED')).instance.powerState).toBe(7);
    await t.cloud.serverActions.resume(t.admin, uuid);
    await until('ACTIVE');
    await t.cloud.serverActions.reboot(t.admin, uuid, 'HARD');
    expect((await until('ACTIVE')).instance.powerState).toBe(1);
  });

  it('two actions racing: exactly one wins, the other is a 409', async () => {
    const results = await Promise.allSettled([t.cloud.serverActions.stop(t.admin, uuid), t.cloud.serverActions.pause(t.admin, uuid)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason.status).toBe(409);
    await waitFor(view, (v) => v.instance.taskState === null);
    const now = await view();
    if (now.status === 'SHUTOFF') await t.cloud.serverActions.start(t.admin, uuid);
    else await t.cloud.serverActions.unpause(t.admin, uuid);
    await until('ACTIVE');
  });

  it('snapshots into an active image carrying the server id', async () => {
    const image = await t.cloud.serverActions.createImage(t.admin, uuid, { name: 'snap', metadata: { purpose: 'backup' } });
    const done = await waitFor(() => t.cloud.images.get(t.admin, image.id), (i) => i.status === 'active');
    expect(done.properties.instance_uuid).toBe(uuid);
    expect(done.properties.purpose).toBe('backup');
    expect(done.sizeBytes).toBeGreaterThan(0);
    await until('ACTIVE');
  });

  it('resizes to a bigger flavor, then reverts; resizes again and confirms', async () => {
    await t.cloud.serverActions.resize(t.admin, uuid, '2');
    let v = await until('VERIFY_RESIZE');
    expect(v.instance.flavorId).toBe('2');
    expect(v.instance.memoryMb).toBe(2048);
    await t.cloud.serverActions.revertResize(t.admin, uuid);
    v = await until('ACTIVE');
    expect(v.instance.flavorId).toBe('1');
    expect(v.instance.memoryMb).toBe(512);
    await t.cloud.serverActions.resize(t.admin, uuid, '2');
    await until('VERIFY_RESIZE');
    await t.cloud.serverActions.confirmResize(t.admin, uuid);
    v = await until('ACTIVE');
    expect(v.instance.flavorId).toBe('2');
    expect(v.instance.oldFlavorId).toBeNull();
  });

  it('refuses a resize to the same flavor', async () => {
    await expect(t.cloud.serverActions.resize(t.admin, uuid, '2')).rejects.toMatchObject({ status: 400, message: 'When resizing, instances must change flavor!' });
  });

  it('rebuilds from an image and stays ACTIVE', async () => {
    await t.cloud.serverActions.rebuild(t.admin, uuid, { imageRef: t.imageId, name: 'life-2' });
    const v = await until('ACTIVE');
    expect(v.instance.name).toBe('life-2');
  });

  it('syncs the power state when the guest shuts itself down', async () => {
    t.drivers[0]!.simulateGuestShutdown(uuid);
    const v = await waitFor(view, (x) => x.status === 'SHUTOFF');
    expect(v.instance.powerState).toBe(4);
    await t.cloud.serverActions.start(t.admin, uuid);
    await until('ACTIVE');
  });

  it('deletes the server: gone from the driver, the list, the quota and the network', async () => {
    const before = await t.cloud.container.get<QuotaEngine>(TOKENS.QuotaEngine).getDetail(t.admin.projectId);
    expect(before.instances.inUse).toBe(1);
    await t.cloud.computeApi.deleteServer(t.admin, uuid);
    await waitFor(() => t.cloud.computeApi.listServers(t.admin), (l) => l.length === 0);
    expect(await t.drivers[0]!.listInstances()).toEqual([]);
    const after = await t.cloud.container.get<QuotaEngine>(TOKENS.QuotaEngine).getDetail(t.admin.projectId);
    expect(after.instances.inUse).toBe(0);
    await expect(t.cloud.computeApi.getServer(t.admin, uuid)).rejects.toMatchObject({ status: 404 });
    await waitFor(async () => seen.some((n) => n.eventType === 'instance.delete.end' && n.payload.instance_id === uuid), (x) => x);
    const types = seen.filter((n) => n.payload.instance_id === uuid).map((n) => n.eventType);
    for (const e of ['instance.create.start', 'instance.create.end', 'instance.power_off.end', 'instance.power_on.end', 'instance.snapshot.end', 'instance.resize.end', 'instance.delete.end']) {
      expect(types).toContain(e);
    }
  });
});
