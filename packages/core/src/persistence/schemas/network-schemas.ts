import { EntitySchema } from 'typeorm';
import type { FixedIp, Network } from '../../model/network.js';
import { id, snake, str, time } from '../column-types.js';

export const NetworkSchema = new EntitySchema<Network>({
  name: 'Network',
  tableName: 'networks',
  columns: snake({ id: id(36), projectId: str(64), label: str(255), cidr: str(64), gateway: str(64) }),
  uniques: [{ name: 'uq_networks_project', columns: ['projectId'] }],
});

export const FixedIpSchema = new EntitySchema<FixedIp>({
  name: 'FixedIp',
  tableName: 'fixed_ips',
  columns: snake({
    address: { ...str(64), primary: true },
    networkId: str(36),
    projectId: str(64),
    instanceUuid: str(36, true),
    macAddress: str(32, true),
    allocatedAt: time(true),
  }),
  // One address per instance (the built-in network gives each project one network).
  indices: [{ name: 'uq_fixed_ips_instance', columns: ['instanceUuid'], unique: true }],
});
