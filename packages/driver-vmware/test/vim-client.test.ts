import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createVM_Task,
  destroy_Task,
  findByInventoryPath,
  findByUuid,
  InvalidLoginFault,
  InvalidPowerStateFault,
  logout,
  ManagedObjectNotFoundFault,
  NotAuthenticatedFault,
  powerOffVM_Task,
  powerOnVM_Task,
  propNumber,
  propString,
  retrieveOne,
  retrieveServiceContent,
  VimClient,
  VimConnection,
  VimTransportError,
} from '../src/vim/index.js';
import { startVcsim, type Vcsim } from '../src/vcsim.js';

let sim: Vcsim;
beforeAll(async () => {
  sim = await startVcsim();
});
afterAll(async () => {
  await sim?.stop();
});

const creds = { username: 'user', password: 'pass' };

describe('vim25 client against vcsim', () => {
  it('reads the service content without a session and reports the API version', async () => {
    const conn = new VimConnection({ url: sim.sdkUrl, ca: sim.ca });
    try {
      const content = await retrieveServiceContent(conn);
      expect(content.about.apiType).toBe('VirtualCenter');
      expect(content.about.apiVersion).toBe('6.5');
      expect(content.rootFolder.type).toBe('Folder');
      expect(content.sessionManager?.value).toBeTruthy();
    } finally {
      conn.close();
    }
  });

  it('refuses the self-signed certificate unless its CA is given or insecure is explicit', async () => {
    const strict = new VimConnection({ url: sim.sdkUrl });
    await expect(retrieveServiceContent(strict)).rejects.toThrow(VimTransportError);
    strict.close();
    const insecure = new VimConnection({ url: sim.sdkUrl, insecure: true });
    await expect(retrieveServiceContent(insecure)).resolves.toMatchObject({ about: { apiVersion: '6.5' } });
    insecure.close();
  });

  it('turns an empty password into a typed InvalidLogin fault', async () => {
    await expect(VimClient.connect({ url: sim.sdkUrl, ca: sim.ca, username: 'user', password: '' })).rejects.toThrow(
      InvalidLoginFault,
    );
  });

  it('creates, powers on, finds by path and uuid, and destroys a VM, seen through the property collector', async () => {
    const client = await VimClient.connect({ url: sim.sdkUrl, ca: sim.ca, ...creds });
    const { conn } = client;
    try {
      const folder = await findByInventoryPath(conn, client.searchIndex, 'DC0/vm');
      const pool = await findByInventoryPath(conn, client.searchIndex, 'DC0/host/DC0_C0/Resources');
      expect(folder?.type).toBe('Folder');
      expect(pool?.type).toBe('ResourcePool');
      const uuid = '6f1c3e52-8a0b-4d7e-9a35-0c2b1f4e7d11';
      const task = await createVM_Task(
        conn,
        folder!,
        {
          name: 'client-test-1',
          instanceUuid: uuid,
          guestId: 'otherGuest64',
          vmPathName: '[LocalDS_0]',
          numCPUs: 2,
          memoryMB: 256,
          extraConfig: [{ key: 'nubo.instance-uuid', value: uuid }],
        },
        pool!,
      );
      const { result: vm } = await client.waitForTask(task);
      expect(vm?.type).toBe('VirtualMachine');
      expect(await findByInventoryPath(conn, client.searchIndex, 'DC0/vm/client-test-1')).toEqual(vm);
      expect(await findByUuid(conn, client.searchIndex, uuid, { instanceUuid: true })).toEqual(vm);

      await client.waitForTask(await powerOnVM_Task(conn, vm!));
      const on = await retrieveOne(conn, client.propertyCollector, vm!, [
        'runtime.powerState',
        'summary.config.numCpu',
        'summary.config.memorySizeMB',
        'config.instanceUuid',
      ]);
      expect(propString(on!, 'runtime.powerState')).toBe('poweredOn');
      expect(propNumber(on!, 'summary.config.numCpu')).toBe(2);
      expect(propNumber(on!, 'summary.config.memorySizeMB')).toBe(256);
      expect(propString(on!, 'config.instanceUuid')).toBe(uuid);

      // A task that fails surfaces as the typed fault of its error.
      await expect(client.waitForTask(await destroy_Task(conn, vm!))).rejects.toThrow(InvalidPowerStateFault);
      await client.waitForTask(await powerOffVM_Task(conn, vm!));
      await client.waitForTask(await destroy_Task(conn, vm!));
      expect(await findByUuid(conn, client.searchIndex, uuid, { instanceUuid: true })).toBeUndefined();
      await expect(powerOnVM_Task(conn, vm!)).rejects.toThrow(ManagedObjectNotFoundFault);
    } finally {
      await client.close();
    }
  });

  it('a request the simulator drops (unknown datastore) is a transport error, and the session keeps working', async () => {
    const client = await VimClient.connect({ url: sim.sdkUrl, ca: sim.ca, ...creds });
    try {
      const folder = (await findByInventoryPath(client.conn, client.searchIndex, 'DC0/vm'))!;
      const pool = (await findByInventoryPath(client.conn, client.searchIndex, 'DC0/host/DC0_C0/Resources'))!;
      const err = await createVM_Task(client.conn, folder, { name: 'nowhere', vmPathName: '[NoSuchDS]' }, pool).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(VimTransportError);
      expect(await findByInventoryPath(client.conn, client.searchIndex, 'DC0/vm')).toEqual(folder);
    } finally {
      await client.close();
    }
  });

  it('logs in again when the session is gone (NotAuthenticated) and retries the call', async () => {
    const client = await VimClient.connect({ url: sim.sdkUrl, ca: sim.ca, ...creds });
    try {
      const firstKey = client.userSession.key;
      // Another client cannot use a made-up cookie: the server answers NotAuthenticated.
      const stranger = new VimConnection({ url: sim.sdkUrl, ca: sim.ca });
      await expect(findByInventoryPath(stranger, client.searchIndex, 'DC0/vm')).rejects.toThrow(NotAuthenticatedFault);
      stranger.close();
      // End our own session behind the client's back, then keep using it.
      const cookie = client.conn.sessionCookie;
      await logout(client.conn, client.serviceContent.sessionManager!);
      expect(client.conn.sessionCookie).toBeUndefined();
      expect(cookie).toMatch(/^vmware_soap_session=/);
      const folder = await findByInventoryPath(client.conn, client.searchIndex, 'DC0/vm');
      expect(folder?.type).toBe('Folder');
      expect(client.userSession.key).not.toBe(firstKey);
    } finally {
      await client.close();
    }
  });
});
