import { describe, expect, it } from 'vitest';
import { encodeMessage, MessageDecoder, MessageType, MessageStatus } from '../src/rpc/framing.js';
import { decodeRemoteError, LibvirtError } from '../src/rpc/libvirt-error.js';
import { readNonnullDomain, writeNonnullDomain, writeOptionalString } from '../src/rpc/types.js';
import { XdrError, XdrReader, XdrWriter } from '../src/rpc/xdr.js';

describe('XDR codec', () => {
  it('encodes strings with a length word and zero padding to 4 bytes', () => {
    const b = new XdrWriter().string('abcde').toBuffer();
    expect(b.toString('hex')).toBe('00000005' + '6162636465' + '000000');
  });

  it('round-trips ints, hypers, optionals and arrays', () => {
    const w = new XdrWriter(4)
      .int(-2).uint(0xffffffff).hyper(-5n).uhyper(2n ** 63n + 1n)
      .optional<string>(null, (x, v) => x.string(v)).optional('x', (x, v) => x.string(v))
      .array([1, 2, 3], (x, v) => x.int(v));
    const r = new XdrReader(w.toBuffer());
    expect([r.int(), r.uint(), r.hyper(), r.uhyper()]).toEqual([-2, 0xffffffff, -5n, 2n ** 63n + 1n]);
    expect(r.optional((x) => x.string())).toBeNull();
    expect(r.optional((x) => x.string())).toBe('x');
    expect(r.array((x) => x.int())).toEqual([1, 2, 3]);
    r.end();
  });

  it('lays out a remote_nonnull_domain as name, 16 raw uuid bytes, id', () => {
    const dom = { name: 'vm', uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f', id: 3 };
    const w = new XdrWriter();
    writeNonnullDomain(w, dom);
    const b = w.toBuffer();
    expect(b.length).toBe(4 + 4 + 16 + 4);
    expect(b.subarray(8, 24).toString('hex')).toBe('6695eb01f6a4830479aa97f2502e193f');
    expect(readNonnullDomain(new XdrReader(b))).toEqual(dom);
  });

  it('refuses truncated input, over-limit lengths and trailing bytes', () => {
    expect(() => new XdrReader(Buffer.from('000000', 'hex')).int()).toThrow(XdrError);
    expect(() => new XdrReader(new XdrWriter().string('toolong').toBuffer()).string(3)).toThrow(/exceeds limit/);
    const r = new XdrReader(new XdrWriter().int(1).int(2).toBuffer());
    r.int();
    expect(() => r.end()).toThrow(/trailing/);
    expect(() => new XdrWriter().int(2 ** 31)).toThrow(XdrError);
  });
});

describe('message framing', () => {
  const header = { prog: 0x20008086, vers: 1, proc: 4, type: MessageType.REPLY, serial: 7, status: MessageStatus.OK };

  it('reassembles messages split at any byte and merged in one chunk', () => {
    const a = encodeMessage(header, new XdrWriter().uhyper(7002022n).toBuffer());
    const b = encodeMessage({ ...header, serial: 8 }, new XdrWriter().string('hi').toBuffer());
    const stream = Buffer.concat([a, b]);
    for (let cut = 1; cut < stream.length; cut++) {
      const d = new MessageDecoder();
      const got = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))];
      expect(got.map((m) => m.header.serial)).toEqual([7, 8]);
      expect(new XdrReader(got[0]!.body).uhyper()).toBe(7002022n);
      expect(new XdrReader(got[1]!.body).string()).toBe('hi');
    }
  });

  it('writes the length word counting itself and the 24-byte header', () => {
    const m = encodeMessage(header, Buffer.alloc(8));
    expect(m.readUInt32BE(0)).toBe(36);
    expect(m.readUInt32BE(4)).toBe(0x20008086);
  });

  it('rejects a stream whose length word is impossible', () => {
    expect(() => new MessageDecoder().push(Buffer.from('00000003', 'hex'))).toThrow(XdrError);
  });

  it('decodes remote_error into a LibvirtError with code, domain and message', () => {
    const w = new XdrWriter().int(42).int(10);
    writeOptionalString(w, "Domain not found: no domain with matching name 'x'");
    w.int(2).bool(false);
    writeOptionalString(w, 'x');
    writeOptionalString(w, null);
    writeOptionalString(w, null);
    w.int(0).int(0).bool(false);
    const e = decodeRemoteError(w.toBuffer());
    expect(e).toBeInstanceOf(LibvirtError);
    expect([e.code, e.domain, e.isNotFound]).toEqual([42, 10, true]);
    expect(e.message).toMatch(/no domain with matching name 'x'/);
  });
});
