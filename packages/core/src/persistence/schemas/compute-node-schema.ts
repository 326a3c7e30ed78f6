import { EntitySchema } from 'typeorm';
import type { ComputeNode } from '../../model/compute-node.js';
import { float, int, snake, str, text, time } from '../column-types.js';

export const ComputeNodeSchema = new EntitySchema<ComputeNode>({
  name: 'ComputeNode',
  tableName: 'compute_nodes',
  columns: snake({
    hypervisorHostname: { ...str(255), primary: true },
    host: str(255),
    hypervisorType: str(64),
    hypervisorVersion: int(),
    hostIp: str(64),
    vcpus: int(),
    vcpusUsed: int(),
    memoryMb: int(),
    memoryMbUsed: int(),
    localGb: int(),
    localGbUsed: int(),
    runningVms: int(),
    cpuAllocationRatio: float(),
    ramAllocationRatio: float(),
    diskAllocationRatio: float(),
    cpuInfo: text(false),
    updatedAt: time(),
  }),
});
