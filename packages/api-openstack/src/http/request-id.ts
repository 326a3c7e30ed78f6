import { randomUUID } from 'node:crypto';

/** Nova's request id format, `req-<uuid>`. */
export function newRequestId(): string {
  return `req-${randomUUID()}`;
}
