import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * One fixed IP per instance, held by the database: an allocation made twice for one instance
 * (a build sent again, two at once) finds the first instead of taking a second address, and
 * an allocation needs no read before its insert.
 */
export class FixedIpPerInstance1764200000000 implements MigrationInterface {
  name = 'FixedIpPerInstance1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.dropIndex('fixed_ips', 'ix_fixed_ips_instance');
    await q.createIndex('fixed_ips', new TableIndex({ name: 'uq_fixed_ips_instance', columnNames: ['instance_uuid'], isUnique: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('fixed_ips', 'uq_fixed_ips_instance');
    await q.createIndex('fixed_ips', new TableIndex({ name: 'ix_fixed_ips_instance', columnNames: ['instance_uuid'] }));
  }
}
