import { Table, type MigrationInterface, type QueryRunner, type TableIndexOptions, type TableUniqueOptions } from 'typeorm';
import { autoId, bigint, bool, float, int, json, key, pk, str, text, time } from './table-columns.js';

const unique = (name: string, ...columnNames: string[]): TableUniqueOptions => ({ name, columnNames });
const index = (name: string, ...columnNames: string[]): TableIndexOptions => ({ name, columnNames });

/**
 * Nubo's first schema: every table of ../schemas/, written out so that the same migration
 * produces the same tables on SQLite, PostgreSQL and MariaDB. Built fresh on each call:
 * query runners may annotate the Table objects they are given.
 */
const tables = (): Table[] => [
  new Table({
    name: 'instances',
    columns: [
      pk('uuid', 36), str('name'), str('project_id', 64), str('user_id', 64), str('flavor_id', 64),
      str('image_ref', 64, true), str('key_name', 255, true), text('key_data'), text('user_data'), json('metadata'),
      str('availability_zone', 255, true), str('host', 255, true), str('node', 255, true),
      str('vm_state', 32), str('task_state', 32, true), int('power_state'),
      int('memory_mb'), int('vcpus'), int('root_gb'), int('ephemeral_gb'), int('swap_mb'),
      str('access_ip_v4', 64, true), json('retry_hosts'), str('old_flavor_id', 64, true),
      time('launched_at', true), time('terminated_at', true), time('created_at'), time('updated_at'),
      time('deleted_at', true),
    ],
    indices: [index('ix_instances_project_deleted', 'project_id', 'deleted_at'), index('ix_instances_host', 'host')],
  }),
  new Table({
    name: 'flavors',
    columns: [
      pk('id', 255), str('name'), int('memory_mb'), int('vcpus'), int('root_gb'), int('ephemeral_gb'), int('swap_mb'),
      float('rxtx_factor'), bool('is_public'), bool('disabled'), text('description'), json('extra_specs'), json('projects'),
    ],
    uniques: [unique('uq_flavors_name', 'name')],
  }),
  new Table({
    name: 'images',
    columns: [
      pk('id', 36), str('name', 255, true), str('status', 32), str('visibility', 32), str('owner_id', 64),
      str('disk_format', 32, true), str('container_format', 32, true), int('min_disk_gb'), int('min_ram_mb'),
      bigint('size_bytes', true), str('checksum', 32, true), str('hash_value', 128, true), bool('protected'),
      json('properties'), json('tags'), json('members'), time('created_at'), time('updated_at'),
    ],
  }),
  new Table({
    name: 'key_pairs',
    columns: [key(str('user_id', 64)), key(str('name')), str('type', 16), text('public_key', false), str('fingerprint', 128), time('created_at')],
  }),
  new Table({
    name: 'domains',
    columns: [pk('id'), str('name'), bool('enabled')],
    uniques: [unique('uq_domains_name', 'name')],
  }),
  new Table({
    name: 'projects',
    columns: [pk('id'), str('name'), str('domain_id', 64), str('description', 1024), bool('enabled')],
    uniques: [unique('uq_projects_domain_name', 'domain_id', 'name')],
  }),
  new Table({
    name: 'users',
    columns: [pk('id'), str('name'), str('domain_id', 64), str('default_project_id', 64, true), bool('enabled'), str('password_hash', 512)],
    uniques: [unique('uq_users_domain_name', 'domain_id', 'name')],
  }),
  new Table({
    name: 'roles',
    columns: [pk('id'), str('name')],
    uniques: [unique('uq_roles_name', 'name')],
  }),
  new Table({
    name: 'role_assignments',
    columns: [key(str('user_id', 64)), key(str('project_id', 64)), key(str('role_id', 64))],
  }),
  new Table({
    name: 'tokens',
    columns: [
      pk('token_hash'), str('user_id', 64), str('project_id', 64, true), str('domain_id', 64, true), json('methods'),
      time('issued_at'), time('expires_at'), bool('revoked'), str('parent_hash', 64, true),
    ],
  }),
  new Table({
    name: 'quotas',
    columns: [key(str('project_id', 64)), key(str('resource', 64)), int('hard_limit')],
  }),
  new Table({
    name: 'quota_locks',
    columns: [key(str('project_id', 64)), int('version')],
  }),
  new Table({
    name: 'compute_nodes',
    columns: [
      key(str('hypervisor_hostname')), str('host'), str('hypervisor_type', 64), int('hypervisor_version'), str('host_ip', 64),
      int('vcpus'), int('vcpus_used'), int('memory_mb'), int('memory_mb_used'), int('local_gb'), int('local_gb_used'),
      int('running_vms'), float('cpu_allocation_ratio'), float('ram_allocation_ratio'), float('disk_allocation_ratio'),
      text('cpu_info', false), time('updated_at'),
    ],
  }),
  new Table({
    name: 'services',
    columns: [
      autoId(), str('binary', 64), str('host'), str('topic', 64), str('availability_zone'), bool('disabled'),
      str('disabled_reason', 255, true), bool('forced_down'), int('report_count'), time('last_seen_at'), time('created_at'),
    ],
    uniques: [unique('uq_services_binary_host', 'binary', 'host')],
  }),
  new Table({
    name: 'networks',
    columns: [pk('id', 36), str('project_id', 64), str('label'), str('cidr', 64), str('gateway', 64)],
    uniques: [unique('uq_networks_project', 'project_id')],
  }),
  new Table({
    name: 'fixed_ips',
    columns: [
      key(str('address', 64)), str('network_id', 36), str('project_id', 64), str('instance_uuid', 36, true),
      str('mac_address', 32, true), time('allocated_at', true),
    ],
    indices: [index('ix_fixed_ips_instance', 'instance_uuid')],
  }),
  new Table({
    name: 'instance_faults',
    columns: [autoId(), str('instance_uuid', 36), int('code'), str('message', 1024), text('details', false), str('host', 255, true), time('created_at')],
    indices: [index('ix_instance_faults_instance', 'instance_uuid')],
  }),
  new Table({
    name: 'instance_actions',
    columns: [
      autoId(), str('instance_uuid', 36), str('action', 64), str('request_id', 64), str('user_id', 64), str('project_id', 64),
      str('message', 1024, true), time('start_time'), time('finish_time', true),
    ],
    indices: [index('ix_instance_actions_instance', 'instance_uuid')],
  }),
  new Table({
    name: 'instance_action_events',
    columns: [
      autoId(), int('action_id'), str('event', 128), str('host', 255, true), str('result', 16, true), text('traceback'),
      time('start_time'), time('finish_time', true),
    ],
    indices: [index('ix_instance_action_events_action', 'action_id')],
  }),
  new Table({
    name: 'volumes',
    columns: [
      pk('id', 36), str('name', 255, true), str('project_id', 64), int('size_gb'), str('status', 32),
      str('attached_to', 36, true), str('device', 64, true), time('created_at'),
    ],
  }),
  new Table({
    name: 'server_groups',
    columns: [pk('uuid', 36), str('name'), str('project_id', 64), str('user_id', 64), str('policy', 32), json('rules'), json('members'), time('created_at')],
  }),
  new Table({
    name: 'aggregates',
    columns: [autoId(), str('name'), json('metadata'), json('hosts')],
  }),
];

export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of tables()) await q.createTable(table, false, false, true);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of tables().reverse()) await q.dropTable(table.name, true, false, true);
  }
}
