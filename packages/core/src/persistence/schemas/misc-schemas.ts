import { EntitySchema } from 'typeorm';
import type { Volume } from '../../model/volume.js';
import type { Aggregate } from '../../ports/host-state.js';
import { autoId, id, int, json, snake, str, time } from '../column-types.js';

export const VolumeSchema = new EntitySchema<Volume>({
  name: 'Volume',
  tableName: 'volumes',
  columns: snake({
    id: id(36),
    name: str(255, true),
    projectId: str(64),
    sizeGb: int(),
    status: str(32),
    attachedTo: str(36, true),
    device: str(64, true),
    createdAt: time(),
  }),
});

export interface ServerGroupRow {
  uuid: string;
  name: string;
  projectId: string;
  userId: string;
  policy: string;
  rules: Record<string, unknown>;
  members: string[];
  createdAt: Date;
}

export const ServerGroupSchema = new EntitySchema<ServerGroupRow>({
  name: 'ServerGroup',
  tableName: 'server_groups',
  columns: snake({
    uuid: id(36),
    name: str(255),
    projectId: str(64),
    userId: str(64),
    policy: str(32),
    rules: json(),
    members: json(),
    createdAt: time(),
  }),
});

export const AggregateSchema = new EntitySchema<Aggregate>({
  name: 'Aggregate',
  tableName: 'aggregates',
  columns: snake({ id: autoId(), name: str(255), metadata: json(), hosts: json() }),
});
