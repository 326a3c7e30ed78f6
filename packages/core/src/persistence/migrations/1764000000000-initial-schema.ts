import type { MigrationInterface, QueryRunner } from 'typeorm';

// PLACEHOLDER until the hand-written migration lands: builds the schema from the entity
// mappings. Replaced by explicit Table definitions (see persistence owner).
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';
  async up(q: QueryRunner): Promise<void> {
    await q.connection.synchronize(false);
  }
  async down(): Promise<void> {}
}
