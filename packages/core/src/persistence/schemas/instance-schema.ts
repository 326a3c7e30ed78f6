import { EntitySchema } from 'typeorm';
import type { Instance } from '../../model/instance.js';
import { id, int, json, snake, str, text, time } from '../column-types.js';

export const InstanceSchema = new EntitySchema<Instance>({
  name: 'Instance',
  tableName: 'instances',
  columns: snake({
    uuid: id(36),
    name: str(255),
    projectId: str(64),
    userId: str(64),
    flavorId: str(64),
    imageRef: str(64, true),
    keyName: str(255, true),
    keyData: text(),
    userData: text(),
    metadata: json(),
    availabilityZone: str(255, true),
    host: str(255, true),
    node: str(255, true),
    vmState: str(32),
    taskState: str(32, true),
    powerState: int(),
    memoryMb: int(),
    vcpus: int(),
    rootGb: int(),
    ephemeralGb: int(),
    swapMb: int(),
    accessIpV4: str(64, true),
    retryHosts: json(),
    oldFlavorId: str(64, true),
    launchedAt: time(true),
    terminatedAt: time(true),
    createdAt: time(),
    updatedAt: time(),
    deletedAt: time(true),
  }),
  indices: [
    { name: 'ix_instances_project_deleted', columns: ['projectId', 'deletedAt'] },
    { name: 'ix_instances_host', columns: ['host'] },
  ],
});
