import { createHash, randomBytes } from 'node:crypto';

/** A new opaque token: 32 random bytes, url-safe base64 (43 characters). */
export function newTokenSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database stores instead of the token: its SHA-256, hex. */
export function hashTokenSecret(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
