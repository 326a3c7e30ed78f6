import { EntitySchema } from 'typeorm';
import type { RequestSpec } from '../../ports/host-state.js';
import type { NetworkRequest } from '../../ports/network-service.js';
import { id, json, snake, time } from '../column-types.js';

/**
 * What the user asked for when an instance was created (Nova's request_specs): kept so that a
 * build taken back from a dead host is scheduled again with its hints, group and networks.
 */
export interface StoredRequestSpec {
  instanceUuid: string;
  spec: RequestSpec;
  networks: NetworkRequest;
  createdAt: Date;
}

export const RequestSpecSchema = new EntitySchema<StoredRequestSpec>({
  name: 'RequestSpec',
  tableName: 'request_specs',
  columns: snake({
    instanceUuid: id(36),
    spec: json(),
    networks: json(),
    createdAt: time(),
  }),
});
