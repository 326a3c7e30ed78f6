import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuiltinNetworkService, Conflict, Database, type RequestContext } from '@nubo/core';
import { createTestDatabase, type TestDatabase } from '@nubo/core/testing';

const ctx = { requestId: 'req-net', userId: 'u1', projectId: 'p1', roles: ['member'], isAdmin: false, authToken: null } as RequestContext;

describe.each(['sqlite', 'postgres', 'mariadb'] as const)('the built-in network on %s', (engine) => {
  let scratch: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    scratch = await createTestDatabase(engine);
    db = await new Database({ url: scratch.url, poolSize: 8 }).open();
  });
  afterAll(async () => {
    await db?.close();
    await scratch?.drop();
  });

  it('gives every one of many concurrent builds its own address in the project network', async () => {
    const net = new BuiltinNetworkService(db, { fixedRange: '10.100.0.0/16', networkPrefix: 24 });
    const uuids = Array.from({ length: 60 }, () => randomUUID());
    const infos = (await Promise.all(uuids.map((u) => net.allocateForInstance(ctx, u, 'p-many', 'auto')))).map((l) => l[0]!);
    const addresses = infos.map((i) => i.address);
    expect(new Set(addresses).size).toBe(60);
    expect(new Set(infos.map((i) => i.cidr))).toEqual(new Set([infos[0]!.cidr]));
    const prefix = infos[0]!.cidr.replace(/\.0\/24$/, '.');
    for (const a of addresses) {
      expect(a.startsWith(prefix)).toBe(true);
      const last = Number(a.slice(prefix.length));
      expect(last).toBeGreaterThanOrEqual(2); // .0 network, .1 gateway
      expect(last).toBeLessThanOrEqual(254); // .255 broadcast
    }
    // Asked again (a build retried), an instance keeps its address.
    expect((await net.allocateForInstance(ctx, uuids[0]!, 'p-many', 'auto'))[0]!.address).toBe(addresses[0]);
  });

  it('gives an instance one address however many allocations for it run at once', async () => {
    const net = new BuiltinNetworkService(db, { fixedRange: '10.150.0.0/16', networkPrefix: 24 });
    const uuid = randomUUID();
    const infos = await Promise.all(Array.from({ length: 8 }, () => net.allocateForInstance(ctx, uuid, 'p-twice', 'auto')));
    expect(new Set(infos.map((l) => l[0]!.address)).size).toBe(1);
    expect(infos.every((l) => l.length === 1)).toBe(true);
    expect(await net.getInstanceNetworkInfo(uuid)).toEqual(infos[0]);
  });

  it('fills a small network to the last address, then refuses with a Conflict, and reuses a freed one', async () => {
    const net = new BuiltinNetworkService(db, { fixedRange: '10.200.0.0/16', networkPrefix: 29 });
    // A /29 holds .2 to .6 for instances.
    const uuids = Array.from({ length: 5 }, () => randomUUID());
    const got = (await Promise.all(uuids.map((u) => net.allocateForInstance(ctx, u, 'p-small', 'auto')))).map((l) => l[0]!.address);
    const base = got[0]!.replace(/\.\d+$/, '.');
    expect(got.map((a) => Number(a.slice(base.length))).sort()).toEqual([2, 3, 4, 5, 6]);
    await expect(net.allocateForInstance(ctx, randomUUID(), 'p-small', 'auto')).rejects.toBeInstanceOf(Conflict);
    await net.deallocateForInstance(ctx, uuids[2]!);
    expect((await net.allocateForInstance(ctx, randomUUID(), 'p-small', 'auto'))[0]!.address).toBe(got[2]);
  });
});
