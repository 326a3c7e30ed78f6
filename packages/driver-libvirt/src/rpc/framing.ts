/**
 * libvirt RPC framing (src/rpc/virnetprotocol.x): each message is a 4-byte big-endian length
 * that counts itself, a 24-byte header, then the XDR payload.
 */
import { XdrError } from './xdr.js';

/** virNetMessageType */
export const MessageType = { CALL: 0, REPLY: 1, MESSAGE: 2, STREAM: 3, CALL_WITH_FDS: 4, REPLY_WITH_FDS: 5 } as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** virNetMessageStatus */
export const MessageStatus = { OK: 0, ERROR: 1, CONTINUE: 2 } as const;
export type MessageStatus = (typeof MessageStatus)[keyof typeof MessageStatus];

/** virNetMessageHeader */
export interface MessageHeader {
  prog: number;
  vers: number;
  proc: number;
  type: number;
  serial: number;
  status: number;
}

export interface Message {
  header: MessageHeader;
  body: Buffer;
}

const LEN_SIZE = 4;
const HEADER_SIZE = 24;
/** VIR_NET_MESSAGE_MAX plus the length word: the daemon never sends more. */
export const MESSAGE_MAX = 16777216 + LEN_SIZE;

/** Serialises one message: length word, header, body. */
export function encodeMessage(header: MessageHeader, body: Uint8Array = Buffer.alloc(0)): Buffer {
  const total = LEN_SIZE + HEADER_SIZE + body.length;
  if (total > MESSAGE_MAX) throw new XdrError(`message of ${total} bytes exceeds libvirt's limit`);
  const out = Buffer.alloc(total);
  out.writeUInt32BE(total, 0);
  out.writeUInt32BE(header.prog, 4);
  out.writeUInt32BE(header.vers, 8);
  out.writeInt32BE(header.proc, 12);
  out.writeInt32BE(header.type, 16);
  out.writeUInt32BE(header.serial, 20);
  out.writeInt32BE(header.status, 24);
  out.set(body, LEN_SIZE + HEADER_SIZE);
  return out;
}

/**
 * Reassembles messages from a byte stream that arrives in arbitrary chunks (a socket's
 * `data` events split and merge messages freely).
 */
export class MessageDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** Feeds bytes; returns every message completed by them, in order. */
  push(chunk: Buffer): Message[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const out: Message[] = [];
    for (;;) {
      if (this.buffered < LEN_SIZE) break;
      const head = this.peek(LEN_SIZE);
      const total = head.readUInt32BE(0);
      if (total < LEN_SIZE + HEADER_SIZE || total > MESSAGE_MAX) {
        throw new XdrError(`bad message length ${total}`);
      }
      if (this.buffered < total) break;
      const frame = this.take(total);
      out.push({
        header: {
          prog: frame.readUInt32BE(4),
          vers: frame.readUInt32BE(8),
          proc: frame.readInt32BE(12),
          type: frame.readInt32BE(16),
          serial: frame.readUInt32BE(20),
          status: frame.readInt32BE(24),
        },
        body: frame.subarray(LEN_SIZE + HEADER_SIZE),
      });
    }
    return out;
  }

  private peek(n: number): Buffer {
    if (this.chunks[0]!.length < n) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]!.subarray(0, n);
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const frame = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.buffered = rest.length;
    return frame;
  }
}
