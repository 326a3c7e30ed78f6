import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { BadRequest } from '../../errors.js';

const KEY_LENGTH = 64;
const SALT_BYTES = 16;

function scryptAsync(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/**
 * Salted scrypt password hashes, stored as `scrypt$N$r$p$salt$hash` (base64) so the cost
 * can be raised later without breaking the hashes already stored.
 */
export class PasswordHasher {
  /** @param log2Cost scrypt's N as a power of two (14 → N = 16384, about 16 MiB per hash). */
  constructor(private readonly log2Cost = 14) {
    if (!Number.isInteger(log2Cost) || log2Cost < 1 || log2Cost > 20) {
      throw new BadRequest(`The password hash cost must be a whole number from 1 to 20 (a power of two for scrypt's N), got ${log2Cost}.`);
    }
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const N = 2 ** this.log2Cost;
    const key = await scryptAsync(password, salt, { N, r: 8, p: 1, maxmem: 256 * N * 8 });
    return ['scrypt', N, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
  }

  /** Constant-time comparison; false (never an error) for a malformed stored hash. */
  async verify(password: string, stored: string): Promise<boolean> {
    const parts = stored.split('$');
    if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
    const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
    if (![N, r, p].every((n) => Number.isInteger(n) && n > 0)) return false;
    const salt = Buffer.from(parts[4]!, 'base64');
    const expected = Buffer.from(parts[5]!, 'base64');
    if (expected.length !== KEY_LENGTH) return false;
    const key = await scryptAsync(password, salt, { N, r, p, maxmem: 256 * N * r });
    return timingSafeEqual(key, expected);
  }

  /** Spends the time of one verification, so an unknown user answers as slowly as a wrong password. */
  async burn(password: string): Promise<void> {
    await this.hash(password);
  }
}
