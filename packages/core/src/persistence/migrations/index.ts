import type { MigrationInterface } from 'typeorm';
import { InitialSchema1764000000000 } from './1764000000000-initial-schema.js';
import { RequestSpecs1764100000000 } from './1764100000000-request-specs.js';
import { FixedIpPerInstance1764200000000 } from './1764200000000-fixed-ip-per-instance.js';

export const ALL_MIGRATIONS: (new () => MigrationInterface)[] = [InitialSchema1764000000000, RequestSpecs1764100000000, FixedIpPerInstance1764200000000];
