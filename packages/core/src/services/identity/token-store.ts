import { In, LessThanOrEqual } from 'typeorm';
import type { Database } from '../../persistence/database.js';
import { TokenSchema, type TokenRow } from '../../persistence/schemas/identity-schemas.js';

/** Token rows: issued, looked up by hash, revoked along with every token re-scoped from them. */
export class TokenStore {
  constructor(private readonly db: Database) {}

  async insert(row: TokenRow): Promise<void> {
    await this.db.repo(TokenSchema).insert(row);
  }

  find(tokenHash: string): Promise<TokenRow | null> {
    return this.db.repo(TokenSchema).findOneBy({ tokenHash });
  }

  /** Revokes a token and, transitively, the tokens re-scoped from it. False if no such token is valid. */
  async revokeWithDescendants(tokenHash: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const repo = this.db.repo(TokenSchema, tx);
      const row = await repo.findOneBy({ tokenHash });
      if (!row || row.revoked) return false;
      let frontier = [tokenHash];
      await repo.update({ tokenHash }, { revoked: true });
      while (frontier.length > 0) {
        const children = await repo.find({ where: { parentHash: In(frontier), revoked: false }, select: { tokenHash: true } });
        frontier = children.map((c) => c.tokenHash);
        if (frontier.length > 0) await repo.update({ tokenHash: In(frontier) }, { revoked: true });
      }
      return true;
    });
  }

  async revokeForUser(userId: string): Promise<void> {
    await this.db.repo(TokenSchema).update({ userId, revoked: false }, { revoked: true });
  }

  async revokeForProject(projectId: string): Promise<void> {
    await this.db.repo(TokenSchema).update({ projectId, revoked: false }, { revoked: true });
  }

  /** Deletes tokens that expired at or before `now`; returns how many. */
  async deleteExpired(now: Date): Promise<number> {
    const result = await this.db.repo(TokenSchema).delete({ expiresAt: LessThanOrEqual(now) });
    return result.affected ?? 0;
  }
}
