/**
 * XDR (RFC 4506) encoding as libvirt's rpcgen-generated code speaks it: every item is a
 * multiple of 4 bytes, big-endian; `char`, `short` and their unsigned forms take a whole
 * 4-byte word; strings and variable opaques carry their length and are zero-padded.
 *
 * No maintained npm XDR library fits: the candidates are either unmaintained or built around
 * code generation from `.x` files (which must not be vendored), so this is a small codec of
 * our own, covering exactly what libvirt's remote protocol uses.
 */

/** Raised when a message body does not decode: truncated, over a limit, or trailing garbage. */
export class XdrError extends Error {
  override readonly name = 'XdrError';
}

const pad4 = (n: number): number => (4 - (n % 4)) % 4;

/** Appends XDR items to a growable buffer. */
export class XdrWriter {
  private buf: Buffer;
  private len = 0;

  constructor(initialSize = 256) {
    this.buf = Buffer.alloc(initialSize);
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = Buffer.alloc(size);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  int(v: number): this {
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) throw new XdrError(`int out of range: ${v}`);
    this.reserve(4);
    this.buf.writeInt32BE(v, this.len);
    this.len += 4;
    return this;
  }

  uint(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new XdrError(`unsigned int out of range: ${v}`);
    this.reserve(4);
    this.buf.writeUInt32BE(v, this.len);
    this.len += 4;
    return this;
  }

  bool(v: boolean): this {
    return this.int(v ? 1 : 0);
  }

  hyper(v: bigint): this {
    this.reserve(8);
    this.buf.writeBigInt64BE(v, this.len);
    this.len += 8;
    return this;
  }

  uhyper(v: bigint): this {
    this.reserve(8);
    this.buf.writeBigUInt64BE(v, this.len);
    this.len += 8;
    return this;
  }

  /** Fixed-length opaque: exactly `size` bytes, padded. */
  fixedOpaque(bytes: Uint8Array, size: number): this {
    if (bytes.length !== size) throw new XdrError(`fixed opaque wants ${size} bytes, got ${bytes.length}`);
    this.reserve(size + pad4(size));
    this.buf.set(bytes, this.len);
    this.len += size;
    this.buf.fill(0, this.len, this.len + pad4(size));
    this.len += pad4(size);
    return this;
  }

  /** Variable-length opaque: length word, bytes, padding. */
  opaque(bytes: Uint8Array, max = Number.MAX_SAFE_INTEGER): this {
    if (bytes.length > max) throw new XdrError(`opaque longer than ${max} bytes`);
    this.uint(bytes.length);
    return this.fixedOpaque(bytes, bytes.length);
  }

  string(s: string, max = Number.MAX_SAFE_INTEGER): this {
    return this.opaque(Buffer.from(s, 'utf8'), max);
  }

  /** `T *x`: a 0/1 word, then the value when present. */
  optional<T>(v: T | null | undefined, write: (w: this, v: T) => void): this {
    if (v === null || v === undefined) return this.bool(false);
    this.bool(true);
    write(this, v);
    return this;
  }

  /** `T x<max>`: a length word, then each element. */
  array<T>(items: readonly T[], write: (w: this, v: T) => void, max = Number.MAX_SAFE_INTEGER): this {
    if (items.length > max) throw new XdrError(`array longer than ${max}`);
    this.uint(items.length);
    for (const item of items) write(this, item);
    return this;
  }

  /** The bytes written so far (a copy-free view). */
  toBuffer(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}

/** Reads XDR items from a buffer, refusing to read past its end. */
export class XdrReader {
  private pos = 0;

  constructor(private readonly buf: Buffer) {}

  private need(n: number): void {
    if (this.pos + n > this.buf.length) {
      throw new XdrError(`truncated XDR: need ${n} bytes at offset ${this.pos}, have ${this.buf.length - this.pos}`);
    }
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  int(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  uint(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  bool(): boolean {
    const v = this.int();
    if (v !== 0 && v !== 1) throw new XdrError(`bad XDR bool ${v}`);
    return v === 1;
  }

  hyper(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  uhyper(): bigint {
    this.need(8);
    const v = this.buf.readBigUInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  fixedOpaque(size: number): Buffer {
    this.need(size + pad4(size));
    const out = Buffer.from(this.buf.subarray(this.pos, this.pos + size));
    this.pos += size + pad4(size);
    return out;
  }

  opaque(max = Number.MAX_SAFE_INTEGER): Buffer {
    const n = this.uint();
    if (n > max) throw new XdrError(`opaque of ${n} bytes exceeds limit ${max}`);
    return this.fixedOpaque(n);
  }

  string(max = Number.MAX_SAFE_INTEGER): string {
    return this.opaque(max).toString('utf8');
  }

  optional<T>(read: (r: this) => T): T | null {
    return this.bool() ? read(this) : null;
  }

  array<T>(read: (r: this) => T, max = Number.MAX_SAFE_INTEGER): T[] {
    const n = this.uint();
    if (n > max) throw new XdrError(`array of ${n} exceeds limit ${max}`);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(read(this));
    return out;
  }

  /** Throws unless the whole buffer was consumed: a layout mismatch shows up here. */
  end(): void {
    if (this.pos !== this.buf.length) throw new XdrError(`${this.buf.length - this.pos} trailing bytes after XDR body`);
  }
}
