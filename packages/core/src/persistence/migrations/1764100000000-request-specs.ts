import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { json, pk, time } from './table-columns.js';

/** Request specs kept per instance, so a build taken back from a dead host keeps its hints and networks. */
export class RequestSpecs1764100000000 implements MigrationInterface {
  name = 'RequestSpecs1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({ name: 'request_specs', columns: [pk('instance_uuid', 36), json('spec'), json('networks'), time('created_at')] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('request_specs');
  }
}
