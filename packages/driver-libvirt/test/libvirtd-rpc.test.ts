// The RPC client against the real libvirtd of this machine (scripts/setup/libvirt.sh).
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { firstValueFrom, filter, take, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectGetCapabilities, connectGetHostname, connectGetLibVersion, connectGetType, connectGetUri, connectGetVersion,
  connectListAllDomains, domainCreate, domainDefineXml, domainDestroy, domainGetInfo, domainGetState, domainGetXmlDesc,
  domainLookupByName, domainLookupByUuid, domainResume, domainSetMemory, domainSnapshotCreateXml, domainSnapshotDelete,
  domainSuspend, domainUndefine, DomainEventType, DomainState, LibvirtConnection, LibvirtError, LibvirtErrorCode,
  domainHasManagedSaveImage, domainManagedSave, domainManagedSaveRemove, domainReboot, domainReset, domainSetVcpus,
  domainShutdown, ModificationFlags,
  nodeGetInfo, storagePoolLookupByName, storageVolCreateXml, storageVolDelete, storageVolGetPath, UndefineFlags,
  PoolCreateFlags, storagePoolCreateXml, storagePoolDestroy, storagePoolGetInfo, storageVolGetInfo, storageVolLookupByName,
  storageVolUpload, STREAM_PACKET_MAX,
} from '../src/index.js';
import { ensureLibvirtd, TEST_PREFIX } from './support/libvirtd.js';

let qemu: LibvirtConnection;
let test: LibvirtConnection;

beforeAll(async () => {
  await ensureLibvirtd();
  qemu = await LibvirtConnection.open('qemu:///system');
  test = await LibvirtConnection.open('test:///default');
});
afterAll(async () => {
  await qemu?.close();
  await test?.close();
});

const testDomainXml = (name: string, uuid = randomUUID()) =>
  `<domain type='test'><name>${name}</name><uuid>${uuid}</uuid><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>`;

describe('libvirt RPC against a real libvirtd', () => {
  it('opens qemu:///system and reports the hypervisor, versions and host name', async () => {
    expect(await connectGetType(qemu)).toBe('QEMU');
    expect(await connectGetUri(qemu)).toBe('qemu:///system');
    expect(await connectGetVersion(qemu)).toBeGreaterThan(1_000_000);
    expect(await connectGetLibVersion(qemu)).toBeGreaterThan(1_000_000);
    expect(await connectGetHostname(qemu)).toBe((await import('node:os')).hostname());
  });

  it('reads node info and capabilities that agree about the host', async () => {
    const info = await nodeGetInfo(qemu);
    const os = await import('node:os');
    expect(info.cpus).toBe(os.cpus().length);
    expect(info.memoryKib).toBeGreaterThan(0);
    expect(info.memoryKib * 1024).toBeLessThanOrEqual(os.totalmem());
    const caps = await connectGetCapabilities(qemu);
    expect(caps).toMatch(/<capabilities>/);
    expect(caps).toMatch(/<arch>x86_64<\/arch>/);
    expect(caps).toMatch(/<domain type='qemu'/);
  });

  it('lists all domains of the test driver, and looks one up by name and by UUID', async () => {
    const all = await connectListAllDomains(test);
    const builtin = all.find((d) => d.name === 'test');
    expect(builtin).toBeDefined();
    expect(await domainLookupByName(test, 'test')).toEqual(builtin);
    expect(await domainLookupByUuid(test, builtin!.uuid)).toEqual(builtin);
    expect(Array.isArray(await connectListAllDomains(qemu))).toBe(true);
  });

  it('turns a failed call into a typed LibvirtError with libvirt’s code, domain and message', async () => {
    const err = await domainLookupByName(qemu, `${TEST_PREFIX}missing`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibvirtError);
    expect((err as LibvirtError).code).toBe(LibvirtErrorCode.NO_DOMAIN);
    expect((err as LibvirtError).domain).toBe(10); // VIR_FROM_QEMU
    expect((err as LibvirtError).message).toMatch(/no domain with matching name/);
    const bad = await domainDefineXml(test, '<domain').catch((e: unknown) => e);
    expect((bad as LibvirtError).code).toBe(LibvirtErrorCode.XML_DETAIL);
  });

  it('serves many concurrent calls on one connection, each with its own answer', async () => {
    const names = Array.from({ length: 40 }, (_, i) => (i % 2 ? `${TEST_PREFIX}none-${i}` : 'test'));
    const results = await Promise.allSettled(names.map((n) => domainLookupByName(test, n)));
    results.forEach((r, i) => {
      if (i % 2) expect(r.status === 'rejected' && (r.reason as LibvirtError).code === LibvirtErrorCode.NO_DOMAIN).toBe(true);
      else expect(r.status === 'fulfilled' && r.value.name === 'test').toBe(true);
    });
  });

  it('drives a domain’s lifecycle and delivers its lifecycle events as an Observable', async () => {
    await test.enableLifecycleEvents();
    const name = `${TEST_PREFIX}rpc-${randomUUID().slice(0, 8)}`;
    const events = firstValueFrom(test.lifecycleEvents.pipe(filter((e) => e.domain.name === name), take(6), toArray()));
    const dom = await domainDefineXml(test, testDomainXml(name));
    expect((await domainGetState(test, dom)).state).toBe(DomainState.SHUTOFF);
    const running = await domainCreate(test, dom);
    expect(running.id).toBeGreaterThan(0);
    await domainSuspend(test, running);
    expect((await domainGetInfo(test, running)).state).toBe(DomainState.PAUSED);
    await domainResume(test, running);
    await domainSetMemory(test, running, 32 * 1024);
    expect((await domainGetInfo(test, running)).memoryKib).toBe(32 * 1024);
    expect(await domainGetXmlDesc(test, running)).toContain(`<name>${name}</name>`);
    await domainDestroy(test, running);
    await domainUndefine(test, dom, UndefineFlags.MANAGED_SAVE | UndefineFlags.SNAPSHOTS_METADATA);
    const seen = (await events).map((e) => e.event);
    expect(seen).toEqual([
      DomainEventType.DEFINED, DomainEventType.STARTED, DomainEventType.SUSPENDED,
      DomainEventType.RESUMED, DomainEventType.STOPPED, DomainEventType.UNDEFINED,
    ]);
  });

  it('shuts down, reboots, resets, hot-adds vCPUs and keeps a managed save (test driver)', async () => {
    const name = `${TEST_PREFIX}ops-${randomUUID().slice(0, 8)}`;
    const dom = await domainDefineXml(test, `<domain type='test'><name>${name}</name><memory unit='MiB'>64</memory><vcpu current='1'>2</vcpu><os><type>hvm</type></os></domain>`);
    await domainCreate(test, dom);
    await domainSetVcpus(test, dom, 2, ModificationFlags.LIVE);
    expect((await domainGetInfo(test, dom)).nrVirtCpu).toBe(2);
    await domainReboot(test, dom);
    await domainReset(test, dom);
    expect((await domainGetState(test, dom)).state).toBe(DomainState.RUNNING);
    await domainManagedSave(test, dom);
    expect(await domainHasManagedSaveImage(test, dom)).toBe(true);
    expect((await domainGetState(test, dom)).state).toBe(DomainState.SHUTOFF);
    await domainManagedSaveRemove(test, dom);
    expect(await domainHasManagedSaveImage(test, dom)).toBe(false);
    await domainCreate(test, dom);
    await domainShutdown(test, dom);
    expect(await domainGetState(test, dom)).toEqual({ state: DomainState.SHUTOFF, reason: 1 }); // VIR_DOMAIN_SHUTOFF_SHUTDOWN
    await domainUndefine(test, dom);
  });

  it('creates and deletes a snapshot and a storage volume', async () => {
    const name = `${TEST_PREFIX}snap-${randomUUID().slice(0, 8)}`;
    const dom = await domainDefineXml(test, testDomainXml(name));
    const snap = await domainSnapshotCreateXml(test, dom, '<domainsnapshot><name>s1</name></domainsnapshot>');
    expect(snap).toMatchObject({ name: 's1', domain: { name } });
    await domainSnapshotDelete(test, snap);
    await domainUndefine(test, dom, UndefineFlags.SNAPSHOTS_METADATA);

    const pool = await storagePoolLookupByName(test, 'default-pool');
    const volName = `${name}.img`;
    const vol = await storageVolCreateXml(test, pool, `<volume><name>${volName}</name><capacity unit='MiB'>1</capacity></volume>`);
    expect(vol.name).toBe(volName);
    expect(await storageVolGetPath(test, vol)).toContain(volName);
    await storageVolDelete(test, vol);
  });

  it('uploads a volume’s bytes through the volume-upload stream into a directory pool it built', async () => {
    const dir = `/var/tmp/${TEST_PREFIX}pool-${randomUUID().slice(0, 8)}`;
    const pool = await storagePoolCreateXml(qemu, `<pool type='dir'><name>${basename(dir)}</name><target><path>${dir}</path></target></pool>`, PoolCreateFlags.WITH_BUILD);
    try {
      expect((await storagePoolGetInfo(qemu, pool)).capacity).toBeGreaterThan(0n);
      // Several packets and a ragged end: the stream splits and the daemon reassembles.
      const bytes = randomBytes(2 * STREAM_PACKET_MAX + 12_345);
      const vol = await storageVolCreateXml(qemu, pool, `<volume><name>image.raw</name><capacity>${bytes.length}</capacity><target><format type='raw'/></target></volume>`);
      const upload = await storageVolUpload(qemu, vol, 0n, BigInt(bytes.length));
      await upload.send(bytes);
      await upload.finish();
      expect(readFileSync(await storageVolGetPath(qemu, vol)).equals(bytes)).toBe(true);
      expect((await storageVolGetInfo(qemu, vol)).capacity).toBe(BigInt(bytes.length));
      expect(await storageVolLookupByName(qemu, pool, 'image.raw')).toEqual(vol);
      await storageVolDelete(qemu, vol);
      await expect(storageVolLookupByName(qemu, pool, 'image.raw')).rejects.toMatchObject({ code: LibvirtErrorCode.NO_STORAGE_VOL });
      // The connection still serves ordinary calls after the stream ended.
      expect(await connectGetType(qemu)).toBe('QEMU');
    } finally {
      await storagePoolDestroy(qemu, pool);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reconnects after the socket drops and keeps delivering events', async () => {
    const conn = await LibvirtConnection.open('test:///default', { reconnectDelayMs: { min: 50, max: 500 } });
    try {
      await conn.enableLifecycleEvents();
      conn.currentClient!.destroy();
      // The next call reconnects on its own…
      expect(await connectGetType(conn)).toBe('TEST');
      expect(conn.connects).toBe(2);
      // …and the event callback was registered again on the new socket.
      const name = `${TEST_PREFIX}re-${randomUUID().slice(0, 8)}`;
      const defined = firstValueFrom(conn.lifecycleEvents.pipe(filter((e) => e.domain.name === name)));
      const dom = await domainDefineXml(conn, testDomainXml(name));
      expect((await defined).event).toBe(DomainEventType.DEFINED);
      await domainUndefine(conn, dom);
    } finally {
      await conn.close();
    }
  });

  it('keeps an idle connection alive: the daemon answers keepalive pings', async () => {
    // Drop the peer after 2 s of silence, ping after 200 ms: only PONGs keep it open.
    const conn = await LibvirtConnection.open('test:///default', { keepalive: { intervalMs: 200, count: 10 } });
    try {
      const client = conn.currentClient;
      await new Promise((r) => setTimeout(r, 3000));
      expect(conn.currentClient).toBe(client);
      expect(await connectGetType(conn)).toBe('TEST');
      expect(conn.connects).toBe(1);
    } finally {
      await conn.close();
    }
  });

  it('refuses writes through the read-only socket with OPERATION_DENIED', async () => {
    const ro = await LibvirtConnection.open('test+unix:///default?socket=/run/libvirt/libvirt-sock-ro');
    try {
      const err = await domainDefineXml(ro, testDomainXml(`${TEST_PREFIX}ro`)).catch((e: unknown) => e);
      expect((err as LibvirtError).code).toBe(LibvirtErrorCode.OPERATION_DENIED);
    } finally {
      await ro.close();
    }
  });
});
