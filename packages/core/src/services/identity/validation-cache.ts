import type { TokenInfo } from '../../ports/identity-provider.js';

const MAX_ENTRIES = 10_000;

/**
 * Recently validated tokens by hash, for a few seconds. `clear` bumps a generation so that a
 * validation already under way when something changed does not store its stale answer.
 */
export class ValidationCache {
  private readonly entries = new Map<string, { info: TokenInfo; until: number }>();
  generation = 0;

  constructor(private readonly ttlMs: number) {}

  get(tokenHash: string, now: number): TokenInfo | undefined {
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    if (entry.until <= now || entry.info.expiresAt.getTime() <= now) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return entry.info;
  }

  set(tokenHash: string, info: TokenInfo, now: number, generation: number): void {
    if (this.ttlMs <= 0 || generation !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(tokenHash, { info: { ...info, token: '' }, until: now + this.ttlMs });
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}
