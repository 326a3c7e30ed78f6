// The client against a scripted peer on a unix socket: what libvirtd does rarely or only on
// failure (keepalive pings, dying mid-call, garbage) is easier to provoke here.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeMessage, MessageDecoder, MessageType, MessageStatus, type Message } from '../src/rpc/framing.js';
import { LibvirtError } from '../src/rpc/libvirt-error.js';
import { KEEPALIVE_PROGRAM, REMOTE_PROGRAM, RpcClient } from '../src/rpc/rpc-client.js';
import { STREAM_PACKET_MAX } from '../src/rpc/rpc-stream.js';
import { resolveLibvirtUri } from '../src/rpc/libvirt-uri.js';
import { XdrWriter } from '../src/rpc/xdr.js';

const dirs: string[] = [];
const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function peer(onMessage: (m: Message, sock: Socket) => void): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'nubo-rpc-'));
  dirs.push(dir);
  const path = join(dir, 'sock');
  const server = createServer((sock) => {
    const d = new MessageDecoder();
    sock.on('data', (c) => d.push(c).forEach((m) => onMessage(m, sock)));
    sock.on('error', () => undefined);
  });
  servers.push(server);
  return new Promise((resolve) => server.listen(path, () => resolve(path)));
}

const reply = (sock: Socket, m: Message, body: Buffer) =>
  sock.write(encodeMessage({ ...m.header, type: MessageType.REPLY, status: MessageStatus.OK }, body));

describe('RpcClient', () => {
  it('matches out-of-order replies to concurrent calls by serial', async () => {
    const held: [Message, Socket][] = [];
    const path = await peer((m, sock) => {
      held.push([m, sock]);
      if (held.length === 3) for (const [hm, hs] of held.reverse()) reply(hs, hm, new XdrWriter().int(hm.header.proc * 10).toBuffer());
    });
    const c = await RpcClient.connect({ path });
    const results = await Promise.all([1, 2, 3].map((p) => c.call(p, null, (r) => r.int())));
    expect(results).toEqual([10, 20, 30]);
    expect(new Set(held.map(([m]) => m.header.serial)).size).toBe(3);
    await c.close();
  });

  it('answers the daemon’s keepalive PING with a PONG', async () => {
    const pong = new Promise<Message>((resolve) => {
      void peer((m, sock) => {
        if (m.header.prog === KEEPALIVE_PROGRAM) resolve(m);
        else {
          sock.write(encodeMessage({ prog: KEEPALIVE_PROGRAM, vers: 1, proc: 1, type: MessageType.MESSAGE, serial: 0, status: 0 }));
          reply(sock, m, Buffer.alloc(0));
        }
      }).then(async (path) => {
        const c = await RpcClient.connect({ path });
        await c.call(60, null, () => undefined);
      });
    });
    const m = await pong;
    expect([m.header.proc, m.header.type]).toEqual([2, MessageType.MESSAGE]);
  });

  it('pings an idle peer and drops it, failing calls in flight, when nothing comes back', async () => {
    const pings: Message[] = [];
    const path = await peer((m) => {
      if (m.header.prog === KEEPALIVE_PROGRAM) pings.push(m);
    });
    const c = await RpcClient.connect({ path });
    c.startKeepalive(20, 3);
    const err = await c.call(4, null, () => undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibvirtError);
    expect((err as LibvirtError).message).toMatch(/no keepalive response/);
    expect(pings.length).toBeGreaterThan(0);
    expect(c.isOpen).toBe(false);
  });

  it('rejects every pending call with a typed error when the daemon goes away', async () => {
    const path = await peer((_m, sock) => sock.destroy());
    const c = await RpcClient.connect({ path });
    const err = await c.call(4, null, () => undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibvirtError);
    expect((err as LibvirtError).code).toBe(39);
    await expect(c.call(4, null, () => undefined)).rejects.toBeInstanceOf(LibvirtError);
  });

  it('refuses a reply whose body does not match the expected layout', async () => {
    const path = await peer((m, sock) => reply(sock, m, new XdrWriter().int(1).int(2).toBuffer()));
    const c = await RpcClient.connect({ path });
    await expect(c.call(4, null, (r) => r.int())).rejects.toThrow(/cannot decode reply to procedure 4/);
    await c.close();
  });

  it('fails to connect to a missing socket with NO_CONNECT', async () => {
    const err = await RpcClient.connect({ path: '/nonexistent/libvirt-sock' }).catch((e: unknown) => e);
    expect((err as LibvirtError).code).toBe(5);
  });

  it('sends calls under the remote program, version 1, with increasing serials', async () => {
    const seen: Message[] = [];
    const path = await peer((m, sock) => {
      seen.push(m);
      reply(sock, m, Buffer.alloc(0));
    });
    const c = await RpcClient.connect({ path });
    await c.call(66, null, () => undefined);
    await c.call(1, null, () => undefined);
    expect(seen.map((m) => [m.header.prog, m.header.vers, m.header.proc, m.header.type])).toEqual([
      [REMOTE_PROGRAM, 1, 66, 0],
      [REMOTE_PROGRAM, 1, 1, 0],
    ]);
    expect(seen[1]!.header.serial).toBe(seen[0]!.header.serial + 1);
    await c.close();
  });
});

describe('RpcClient streams', () => {
  const errorBody = (code: number, message: string) => new XdrWriter().int(code).int(18).int(1).string(message, 65536).int(2).int(0).toBuffer();

  it('delivers the packets a daemon streams after its reply, in order, and completes on its OK', async () => {
    const path = await peer((m, sock) => {
      reply(sock, m, Buffer.alloc(0));
      for (const text of ['hello ', 'console']) sock.write(encodeMessage({ ...m.header, type: MessageType.STREAM, status: MessageStatus.CONTINUE }, Buffer.from(text)));
      sock.write(encodeMessage({ ...m.header, type: MessageType.STREAM, status: MessageStatus.OK }));
    });
    const c = await RpcClient.connect({ path });
    const { stream } = await c.callWithStream(201, null, () => undefined);
    const chunks = await firstValueFrom(stream.data.pipe(toArray()));
    expect(Buffer.concat(chunks).toString()).toBe('hello console');
    await c.close();
  });

  it('sends data as STREAM packets with the call’s serial, ends with OK, and resolves on the daemon’s confirmation', async () => {
    const got: Message[] = [];
    const path = await peer((m, sock) => {
      if (m.header.type === MessageType.CALL) return void reply(sock, m, Buffer.alloc(0));
      got.push(m);
      if (m.header.status === MessageStatus.OK) sock.write(encodeMessage({ ...m.header, type: MessageType.STREAM, status: MessageStatus.OK }));
    });
    const c = await RpcClient.connect({ path });
    const { stream } = await c.callWithStream(208, null, () => undefined);
    await stream.send(Buffer.alloc(STREAM_PACKET_MAX + 10, 7));
    await stream.finish();
    expect(got.map((m) => [m.header.proc, m.header.serial, m.header.status, m.body.length])).toEqual([
      [208, stream.serial, MessageStatus.CONTINUE, STREAM_PACKET_MAX],
      [208, stream.serial, MessageStatus.CONTINUE, 10],
      [208, stream.serial, MessageStatus.OK, 0],
    ]);
    await c.close();
  });

  it('fails an upload with the daemon’s typed error when it rejects the data, and the connection goes on', async () => {
    const path = await peer((m, sock) => {
      if (m.header.type === MessageType.CALL && m.header.proc === 208) return void reply(sock, m, Buffer.alloc(0));
      if (m.header.type === MessageType.CALL) return void reply(sock, m, new XdrWriter().int(5).toBuffer());
      if (m.header.status === MessageStatus.CONTINUE) {
        sock.write(encodeMessage({ ...m.header, type: MessageType.REPLY, status: MessageStatus.ERROR }, errorBody(38, 'No space left on device')));
      }
    });
    const c = await RpcClient.connect({ path });
    const { stream } = await c.callWithStream(208, null, () => undefined);
    await stream.send(Buffer.from('x'));
    const err = await stream.finish().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibvirtError);
    expect((err as LibvirtError).code).toBe(38);
    expect((err as LibvirtError).message).toMatch(/No space left/);
    expect(await c.call(4, null, (r) => r.int())).toBe(5);
    await c.close();
  });
});

describe('libvirt URIs', () => {
  it('derive the socket and the name sent to the daemon', () => {
    expect(resolveLibvirtUri('qemu:///system')).toEqual({ target: { path: '/run/libvirt/libvirt-sock' }, name: 'qemu:///system' });
    expect(resolveLibvirtUri('qemu+unix:///system?socket=/tmp/s')).toEqual({ target: { path: '/tmp/s' }, name: 'qemu:///system' });
    expect(resolveLibvirtUri('test+unix:///default')).toEqual({ target: { path: '/run/libvirt/libvirt-sock' }, name: 'test:///default' });
    expect(resolveLibvirtUri('qemu:///session', { XDG_RUNTIME_DIR: '/run/user/1000' }).target).toEqual({ path: '/run/user/1000/libvirt/libvirt-sock' });
    expect(resolveLibvirtUri('qemu+tcp://10.0.0.5/system')).toEqual({ target: { host: '10.0.0.5', port: 16509 }, name: 'qemu:///system' });
    expect(resolveLibvirtUri('qemu+tcp://h:1234/system').target).toEqual({ host: 'h', port: 1234 });
    expect(() => resolveLibvirtUri('qemu+ssh://h/system')).toThrow(/not supported/);
  });
});
