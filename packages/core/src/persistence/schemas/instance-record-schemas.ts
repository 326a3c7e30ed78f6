import { EntitySchema } from 'typeorm';
import type { InstanceActionEvent, InstanceActionRecord } from '../../model/instance-action-record.js';
import type { InstanceFault } from '../../model/instance-fault.js';
import { autoId, int, snake, str, text, time } from '../column-types.js';

export const InstanceFaultSchema = new EntitySchema<InstanceFault & { id: number }>({
  name: 'InstanceFault',
  tableName: 'instance_faults',
  columns: snake({
    id: autoId(),
    instanceUuid: str(36),
    code: int(),
    message: str(1024),
    details: text(false),
    host: str(255, true),
    createdAt: time(),
  }),
  indices: [{ name: 'ix_instance_faults_instance', columns: ['instanceUuid'] }],
});

export const InstanceActionSchema = new EntitySchema<InstanceActionRecord>({
  name: 'InstanceAction',
  tableName: 'instance_actions',
  columns: snake({
    id: autoId(),
    instanceUuid: str(36),
    action: str(64),
    requestId: str(64),
    userId: str(64),
    projectId: str(64),
    message: str(1024, true),
    startTime: time(),
    finishTime: time(true),
  }),
  indices: [{ name: 'ix_instance_actions_instance', columns: ['instanceUuid'] }],
});

export const InstanceActionEventSchema = new EntitySchema<InstanceActionEvent>({
  name: 'InstanceActionEvent',
  tableName: 'instance_action_events',
  columns: snake({
    id: autoId(),
    actionId: int(),
    event: str(128),
    host: str(255, true),
    result: str(16, true),
    traceback: text(),
    startTime: time(),
    finishTime: time(true),
  }),
  indices: [{ name: 'ix_instance_action_events_action', columns: ['actionId'] }],
});
