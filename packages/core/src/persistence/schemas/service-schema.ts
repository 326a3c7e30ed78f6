import { EntitySchema } from 'typeorm';
import type { ServiceRecord } from '../../model/service-record.js';
import { autoId, bool, int, snake, str, time } from '../column-types.js';

export const ServiceSchema = new EntitySchema<ServiceRecord>({
  name: 'Service',
  tableName: 'services',
  columns: snake({
    id: autoId(),
    binary: str(64),
    host: str(255),
    topic: str(64),
    availabilityZone: str(255),
    disabled: bool(),
    disabledReason: str(255, true),
    forcedDown: bool(),
    reportCount: int(),
    lastSeenAt: time(),
    createdAt: time(),
  }),
  uniques: [{ name: 'uq_services_binary_host', columns: ['binary', 'host'] }],
});
