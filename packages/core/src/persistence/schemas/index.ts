import { InstanceSchema } from './instance-schema.js';
import { FlavorSchema } from './flavor-schema.js';
import { ImageSchema } from './image-schema.js';
import { KeyPairSchema } from './key-pair-schema.js';
import { DomainSchema, ProjectSchema, RoleAssignmentSchema, RoleSchema, TokenSchema, UserSchema } from './identity-schemas.js';
import { QuotaLockSchema, QuotaSchema } from './quota-schemas.js';
import { ComputeNodeSchema } from './compute-node-schema.js';
import { ServiceSchema } from './service-schema.js';
import { FixedIpSchema, NetworkSchema } from './network-schemas.js';
import { InstanceActionEventSchema, InstanceActionSchema, InstanceFaultSchema } from './instance-record-schemas.js';
import { AggregateSchema, ServerGroupSchema, VolumeSchema } from './misc-schemas.js';
import { RequestSpecSchema } from './request-spec-schema.js';

export * from './instance-schema.js';
export * from './flavor-schema.js';
export * from './image-schema.js';
export * from './key-pair-schema.js';
export * from './identity-schemas.js';
export * from './quota-schemas.js';
export * from './compute-node-schema.js';
export * from './service-schema.js';
export * from './network-schemas.js';
export * from './instance-record-schemas.js';
export * from './misc-schemas.js';
export * from './request-spec-schema.js';

export const ALL_SCHEMAS = [
  InstanceSchema, FlavorSchema, ImageSchema, KeyPairSchema, DomainSchema, ProjectSchema, UserSchema,
  RoleSchema, RoleAssignmentSchema, TokenSchema, QuotaSchema, QuotaLockSchema, ComputeNodeSchema,
  ServiceSchema, NetworkSchema, FixedIpSchema, InstanceFaultSchema, InstanceActionSchema,
  InstanceActionEventSchema, VolumeSchema, ServerGroupSchema, AggregateSchema, RequestSpecSchema,
];
