import type { EntitySchema, ObjectLiteral } from 'typeorm';
import type { Instance } from '../src/model/instance.js';
import {
  AggregateSchema, ComputeNodeSchema, DomainSchema, FixedIpSchema, FlavorSchema, ImageSchema, InstanceActionEventSchema,
  InstanceActionSchema, InstanceFaultSchema, InstanceSchema, KeyPairSchema, NetworkSchema, ProjectSchema, QuotaLockSchema,
  QuotaSchema, RoleAssignmentSchema, RoleSchema, ServerGroupSchema, ServiceSchema, TokenSchema, UserSchema, VolumeSchema, RequestSpecSchema,
} from '../src/persistence/index.js';

// Rows for every mapped table: the first fills every nullable column, the second leaves them
// null. Times carry milliseconds, JSON nests, booleans take both values, bigints pass 2^32.

const t = (iso: string) => new Date(iso);

export function sampleInstance(overrides: Partial<Instance> = {}): Instance {
  return {
    uuid: '6f1c8c1e-2b1f-4c3e-9a44-0d1f6b9a0001', name: 'web-1', projectId: 'p1', userId: 'u1', flavorId: '1',
    imageRef: null, keyName: null, keyData: null, userData: null, metadata: {}, availabilityZone: null, host: null,
    node: null, vmState: 'building', taskState: 'scheduling', powerState: 0, memoryMb: 512, vcpus: 1, rootGb: 1,
    ephemeralGb: 0, swapMb: 0, accessIpV4: null, retryHosts: [], oldFlavorId: null, launchedAt: null,
    terminatedAt: null, createdAt: t('2026-01-02T03:04:05.678Z'), updatedAt: t('2026-01-02T03:04:05.679Z'), deletedAt: null,
    ...overrides,
  } as Instance;
}

export interface EntitySample {
  schema: EntitySchema<any>;
  rows: ObjectLiteral[];
}

export const ENTITY_SAMPLES: EntitySample[] = [
  {
    schema: InstanceSchema,
    rows: [
      sampleInstance({
        uuid: '6f1c8c1e-2b1f-4c3e-9a44-0d1f6b9a00f1', imageRef: 'img-1', keyName: 'mykey', keyData: 'ssh-ed25519 AAAA x@y',
        userData: '#!/bin/sh\necho "héllo ✓ 🚀"\n', metadata: { role: 'web', 'a b': 'c"d' }, availabilityZone: 'nova',
        host: 'cmp1', node: 'cmp1.example', vmState: 'active', taskState: null, powerState: 1, accessIpV4: '10.0.0.5',
        retryHosts: ['cmp0', 'cmp2'], oldFlavorId: '2', launchedAt: t('2026-01-02T03:04:06.001Z'),
        terminatedAt: t('2038-01-19T03:14:08.999Z'), deletedAt: t('2026-12-31T23:59:59.999Z'),
      }),
      sampleInstance({ uuid: '6f1c8c1e-2b1f-4c3e-9a44-0d1f6b9a00f2' }),
    ],
  },
  {
    schema: FlavorSchema,
    rows: [
      { id: '1', name: 'm1.tiny', memoryMb: 512, vcpus: 1, rootGb: 1, ephemeralGb: 0, swapMb: 0, rxtxFactor: 1.0, isPublic: true, disabled: false, description: 'tiny', extraSpecs: { 'hw:cpu_policy': 'dedicated' }, projects: [] },
      { id: 'custom-x', name: 'x.private', memoryMb: 16384, vcpus: 8, rootGb: 160, ephemeralGb: 10, swapMb: 1024, rxtxFactor: 2.5, isPublic: false, disabled: true, description: null, extraSpecs: {}, projects: ['p1', 'p2'] },
    ],
  },
  {
    schema: ImageSchema,
    rows: [
      { id: 'a0b1c2d3-0000-4000-8000-000000000001', name: 'cirros', status: 'active', visibility: 'public', ownerId: 'p1', diskFormat: 'qcow2', containerFormat: 'bare', minDiskGb: 1, minRamMb: 64, sizeBytes: 5_000_000_123, checksum: 'd41d8cd98f00b204e9800998ecf8427e', hashValue: 'f'.repeat(128), protected: true, properties: { instance_uuid: 'abc' }, tags: ['x', 'y'], members: ['p2'], createdAt: t('2026-03-04T05:06:07.089Z'), updatedAt: t('2026-03-04T05:06:08.001Z') },
      { id: 'a0b1c2d3-0000-4000-8000-000000000002', name: null, status: 'queued', visibility: 'private', ownerId: 'p1', diskFormat: null, containerFormat: null, minDiskGb: 0, minRamMb: 0, sizeBytes: null, checksum: null, hashValue: null, protected: false, properties: {}, tags: [], members: [], createdAt: t('1999-12-31T23:59:59.999Z'), updatedAt: t('2000-01-01T00:00:00.000Z') },
    ],
  },
  {
    schema: KeyPairSchema,
    rows: [
      { userId: 'u1', name: 'mykey', type: 'ssh', publicKey: 'ssh-rsa ' + 'A'.repeat(700), fingerprint: 'aa:bb', createdAt: t('2026-05-06T07:08:09.010Z') },
      { userId: 'u2', name: 'mykey', type: 'x509', publicKey: '-----BEGIN CERTIFICATE-----', fingerprint: 'cc:dd', createdAt: t('2026-05-06T07:08:09.011Z') },
    ],
  },
  { schema: DomainSchema, rows: [{ id: 'default', name: 'Default', enabled: true }, { id: 'd2', name: 'Other', enabled: false }] },
  {
    schema: ProjectSchema,
    rows: [
      { id: 'p1', name: 'demo', domainId: 'default', description: 'the demo project', enabled: true },
      { id: 'p2', name: 'demo', domainId: 'd2', description: '', enabled: false },
    ],
  },
  {
    schema: UserSchema,
    rows: [
      { id: 'u1', name: 'alice', domainId: 'default', defaultProjectId: 'p1', enabled: true, passwordHash: 'scrypt$' + 'x'.repeat(200) },
      { id: 'u2', name: 'bob', domainId: 'default', defaultProjectId: null, enabled: false, passwordHash: 'scrypt$y' },
    ],
  },
  { schema: RoleSchema, rows: [{ id: 'r1', name: 'admin' }, { id: 'r2', name: 'member' }] },
  {
    schema: RoleAssignmentSchema,
    rows: [{ userId: 'u1', projectId: 'p1', roleId: 'r1' }, { userId: 'u1', projectId: 'p1', roleId: 'r2' }],
  },
  {
    schema: TokenSchema,
    rows: [
      { tokenHash: 'a'.repeat(64), userId: 'u1', projectId: 'p1', domainId: 'default', methods: ['password', 'token'], issuedAt: t('2026-06-01T00:00:00.001Z'), expiresAt: t('2026-06-01T01:00:00.001Z'), revoked: true, parentHash: 'b'.repeat(64) },
      { tokenHash: 'b'.repeat(64), userId: 'u2', projectId: null, domainId: null, methods: ['password'], issuedAt: t('2026-06-01T00:00:00.999Z'), expiresAt: t('2026-06-01T01:00:00.999Z'), revoked: false, parentHash: null },
    ],
  },
  {
    schema: QuotaSchema,
    rows: [{ projectId: 'p1', resource: 'instances', hardLimit: -1 }, { projectId: 'p1', resource: 'ram', hardLimit: 2_000_000_000 }],
  },
  { schema: QuotaLockSchema, rows: [{ projectId: 'p1', version: 0 }, { projectId: 'p2', version: 7 }] },
  {
    schema: ComputeNodeSchema,
    rows: [
      { hypervisorHostname: 'cmp1.example', host: 'cmp1', hypervisorType: 'QEMU', hypervisorVersion: 8002000, hostIp: '192.0.2.1', vcpus: 64, vcpusUsed: 3, memoryMb: 262144, memoryMbUsed: 4096, localGb: 2000, localGbUsed: 41, runningVms: 3, cpuAllocationRatio: 16, ramAllocationRatio: 1.5, diskAllocationRatio: 1, cpuInfo: JSON.stringify({ arch: 'x86_64' }), updatedAt: t('2026-07-01T12:00:00.123Z') },
      { hypervisorHostname: 'cmp2.example', host: 'cmp2', hypervisorType: 'fake', hypervisorVersion: 1, hostIp: '192.0.2.2', vcpus: 1, vcpusUsed: 0, memoryMb: 512, memoryMbUsed: 0, localGb: 1, localGbUsed: 0, runningVms: 0, cpuAllocationRatio: 0.5, ramAllocationRatio: 0.25, diskAllocationRatio: 2, cpuInfo: '', updatedAt: t('2026-07-01T12:00:00.124Z') },
    ],
  },
  {
    schema: ServiceSchema,
    rows: [
      { binary: 'nubo-compute', host: 'cmp1', topic: 'compute', availabilityZone: 'nova', disabled: true, disabledReason: 'maintenance', forcedDown: true, reportCount: 42, lastSeenAt: t('2026-07-01T12:00:10.010Z'), createdAt: t('2026-07-01T11:00:00.001Z') },
      { binary: 'nubo-scheduler', host: 'ctl', topic: 'scheduler', availabilityZone: 'internal', disabled: false, disabledReason: null, forcedDown: false, reportCount: 0, lastSeenAt: t('2026-07-01T12:00:10.011Z'), createdAt: t('2026-07-01T11:00:00.002Z') },
    ],
  },
  {
    schema: NetworkSchema,
    rows: [
      { id: 'n0000000-0000-4000-8000-000000000001', projectId: 'p1', label: 'private', cidr: '10.0.0.0/24', gateway: '10.0.0.1' },
      { id: 'n0000000-0000-4000-8000-000000000002', projectId: 'p2', label: 'private', cidr: '10.0.1.0/24', gateway: '10.0.1.1' },
    ],
  },
  {
    schema: FixedIpSchema,
    rows: [
      { address: '10.0.0.5', networkId: 'n0000000-0000-4000-8000-000000000001', projectId: 'p1', instanceUuid: '6f1c8c1e-2b1f-4c3e-9a44-0d1f6b9a00f1', macAddress: 'fa:16:3e:00:00:01', allocatedAt: t('2026-07-02T00:00:00.555Z') },
      { address: '10.0.0.6', networkId: 'n0000000-0000-4000-8000-000000000001', projectId: 'p1', instanceUuid: null, macAddress: null, allocatedAt: null },
    ],
  },
  {
    schema: InstanceFaultSchema,
    rows: [
      { instanceUuid: 'i1', code: 500, message: 'No valid host was found.', details: 'Traceback…', host: 'cmp1', createdAt: t('2026-07-03T00:00:00.321Z') },
      { instanceUuid: 'i1', code: 400, message: 'bad', details: '', host: null, createdAt: t('2026-07-03T00:00:00.322Z') },
    ],
  },
  {
    schema: InstanceActionSchema,
    rows: [
      { instanceUuid: 'i1', action: 'create', requestId: 'req-1', userId: 'u1', projectId: 'p1', message: 'Error', startTime: t('2026-07-04T00:00:00.001Z'), finishTime: t('2026-07-04T00:00:01.002Z') },
      { instanceUuid: 'i1', action: 'stop', requestId: 'req-2', userId: 'u1', projectId: 'p1', message: null, startTime: t('2026-07-04T00:00:02.003Z'), finishTime: null },
    ],
  },
  {
    schema: InstanceActionEventSchema,
    rows: [
      { actionId: 1, event: 'compute_build_and_run_instance', host: 'cmp1', result: 'Error', traceback: 'Traceback (most recent call last)', startTime: t('2026-07-04T00:00:00.101Z'), finishTime: t('2026-07-04T00:00:00.202Z') },
      { actionId: 1, event: 'schedule_instances', host: null, result: null, traceback: null, startTime: t('2026-07-04T00:00:00.303Z'), finishTime: null },
    ],
  },
  {
    schema: VolumeSchema,
    rows: [
      { id: 'v0000000-0000-4000-8000-000000000001', name: 'data', projectId: 'p1', sizeGb: 10, status: 'in-use', attachedTo: '6f1c8c1e-2b1f-4c3e-9a44-0d1f6b9a00f1', device: '/dev/vdb', createdAt: t('2026-07-05T00:00:00.444Z') },
      { id: 'v0000000-0000-4000-8000-000000000002', name: null, projectId: 'p1', sizeGb: 1, status: 'available', attachedTo: null, device: null, createdAt: t('2026-07-05T00:00:00.445Z') },
    ],
  },
  {
    schema: ServerGroupSchema,
    rows: [
      { uuid: 's0000000-0000-4000-8000-000000000001', name: 'ha', projectId: 'p1', userId: 'u1', policy: 'anti-affinity', rules: { max_server_per_host: 1 }, members: ['i1', 'i2'], createdAt: t('2026-07-06T00:00:00.666Z') },
      { uuid: 's0000000-0000-4000-8000-000000000002', name: 'ha', projectId: 'p1', userId: 'u1', policy: 'affinity', rules: {}, members: [], createdAt: t('2026-07-06T00:00:00.667Z') },
    ],
  },
  {
    schema: AggregateSchema,
    rows: [
      { name: 'fast-ssd', metadata: { ssd: 'true', availability_zone: 'az1' }, hosts: ['cmp1', 'cmp2'] },
      { name: 'empty', metadata: {}, hosts: [] },
    ],
  },
  {
    schema: RequestSpecSchema,
    rows: [
      {
        instanceUuid: '6f1c8c1e-2b1f-4c3e-9a44-0d1f6b9a00f1', networks: { networkIds: ['n1'] }, createdAt: t('2026-07-07T00:00:00.001Z'),
        spec: {
          instanceUuid: '6f1c8c1e-2b1f-4c3e-9a44-0d1f6b9a00f1', projectId: 'p1', userId: 'u1',
          flavor: { id: '1', name: 'm1.tiny', memoryMb: 512, rootGb: 1, ephemeralGb: 0, swapMb: 0, vcpus: 1, extraSpecs: { 'hw:cpu_policy': 'dedicated' } },
          image: { id: 'img-1', properties: { hw_architecture: 'x86_64' } }, availabilityZone: 'az1',
          schedulerHints: { different_host: ['6f1c8c1e-2b1f-4c3e-9a44-0d1f6b9a00f2'] },
          instanceGroup: { policy: 'anti-affinity', rules: { max_server_per_host: 1 }, hosts: ['cmp1'], members: ['i1'] },
          ignoreHosts: [], numInstances: 1,
        },
      },
      { instanceUuid: '6f1c8c1e-2b1f-4c3e-9a44-0d1f6b9a00f2', networks: 'none', createdAt: t('2026-07-07T00:00:00.002Z'), spec: {} },
    ],
  },
];
