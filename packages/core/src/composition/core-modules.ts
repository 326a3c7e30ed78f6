import { hostname } from 'node:os';
import { ContainerModule, type ResolutionContext } from 'inversify';
import type { Logger } from '../logging/logger.js';
import { NotificationBus } from '../notifications/notification-bus.js';
import type { Database } from '../persistence/database.js';
import { RulePolicyEngine } from '../policy/rule-policy-engine.js';
import type { HostSelector } from '../ports/host-selector.js';
import type { ImageService } from '../ports/image-service.js';
import type { NetworkService } from '../ports/network-service.js';
import type { PolicyEngine } from '../ports/policy-engine.js';
import type { QuotaEngine } from '../ports/quota-engine.js';
import type { Transport } from '../ports/transport.js';
import { DbQuotaEngine } from '../quota/db-quota-engine.js';
import { ComputeApiService } from '../services/api/compute-api-service.js';
import { ComputeNodeCapabilities } from '../services/api/compute-node-capabilities.js';
import { InstanceActionService } from '../services/api/instance-action-service.js';
import { InstanceLookup } from '../services/api/instance-lookup.js';
import { ServerActionService } from '../services/api/server-action-service.js';
import { ServerMetadataService } from '../services/api/server-metadata-service.js';
import { ServerViewBuilder } from '../services/api/server-view.js';
import { ComputeRpcClient } from '../services/compute/compute-rpc-client.js';
import { ConductorManager } from '../services/conductor/conductor-manager.js';
import { BuildStepWriter } from '../services/conductor/build-step-writer.js';
import { ConductorRpcClient } from '../services/conductor/conductor-rpc-client.js';
import { BuiltinIdentityProvider } from '../services/identity/builtin-identity-provider.js';
import { BuiltinImageService } from '../services/image/builtin-image-service.js';
import { InstanceActionRecorder } from '../services/instance-action-recorder.js';
import { BuiltinNetworkService } from '../services/network/builtin-network-service.js';
import { FilterWeighSelector } from '../services/scheduler/filter-weigh-selector.js';
import { ComputeFilter } from '../services/scheduler/filters/compute-filter.js';
import { CoreFilter } from '../services/scheduler/filters/core-filter.js';
import { DiskFilter } from '../services/scheduler/filters/disk-filter.js';
import { RamFilter } from '../services/scheduler/filters/ram-filter.js';
import { RamWeigher } from '../services/scheduler/filters/ram-weigher.js';
import { HostStateCache } from '../services/scheduler/host-state-cache.js';
import { SchedulerManager } from '../services/scheduler/scheduler-manager.js';
import { SchedulerRpcClient } from '../services/scheduler/scheduler-rpc-client.js';
import { DEFAULT_TIMINGS, type CloudOptions, type CloudTimings } from './cloud-options.js';
import { TOKENS } from './tokens.js';
import { ADMIN_TOKENS } from './admin-tokens.js';
import type { AvailabilityZoneService } from '../services/api/availability-zone-service.js';
import type { ServerGroupService } from '../services/api/server-group-service.js';

// Wiring is explicit: each binding names the tokens its constructor takes. No decorator
// metadata is involved, so the same code runs under tsc, esbuild (vitest, tsx) and plain Node.

export interface ResolvedOptions extends CloudOptions {
  hostName: string;
  timings: CloudTimings;
  maxAttempts: number;
  defaultAvailabilityZone: string;
}

export function resolveOptions(o: CloudOptions): ResolvedOptions {
  return {
    ...o,
    hostName: o.hostName ?? hostname(),
    timings: { ...DEFAULT_TIMINGS, ...o.timings },
    maxAttempts: o.maxAttempts ?? 3,
    defaultAvailabilityZone: o.defaultAvailabilityZone ?? 'nova',
  };
}

const opts = (c: ResolutionContext) => c.get<ResolvedOptions>(TOKENS.Options);
const db = (c: ResolutionContext) => c.get<Database>(TOKENS.Database);
const log = (c: ResolutionContext) => c.get<Logger>(TOKENS.Logger);

/** The pieces every process needs: database-backed engines, the bus, RPC clients. */
export const foundationModule = (database: Database, transport: Transport, logger: Logger, options: ResolvedOptions) =>
  new ContainerModule(({ bind }) => {
    bind(TOKENS.Options).toConstantValue(options);
    bind(TOKENS.Database).toConstantValue(database);
    bind(TOKENS.Transport).toConstantValue(transport);
    bind(TOKENS.Logger).toConstantValue(logger);
    bind(TOKENS.Notifications).toDynamicValue((c) => new NotificationBus(c.get(TOKENS.Transport), `nubo.${opts(c).hostName}`)).inSingletonScope();
    bind<PolicyEngine>(TOKENS.PolicyEngine).toDynamicValue((c) => new RulePolicyEngine(opts(c).policy)).inSingletonScope();
    bind<QuotaEngine>(TOKENS.QuotaEngine).toDynamicValue((c) => new DbQuotaEngine(db(c), { defaults: opts(c).quotaDefaults })).inSingletonScope();
    bind(TOKENS.IdentityProvider).toDynamicValue((c) => new BuiltinIdentityProvider(db(c), opts(c).identity)).inSingletonScope();
    bind<ImageService>(TOKENS.ImageService).toDynamicValue((c) =>
      new BuiltinImageService(db(c), { dataDir: opts(c).imageDataDir ?? './data/images', policy: c.get(TOKENS.PolicyEngine) })).inSingletonScope();
    bind<NetworkService>(TOKENS.NetworkService).toDynamicValue((c) =>
      new BuiltinNetworkService(db(c), opts(c).network ?? { fixedRange: '10.100.0.0/16', networkPrefix: 24 })).inSingletonScope();
    bind(TOKENS.ConductorRpcClient).toDynamicValue((c) => new ConductorRpcClient(c.get(TOKENS.Transport), opts(c).timings.rpcTimeoutMs)).inSingletonScope();
    bind(TOKENS.SchedulerRpcClient).toDynamicValue((c) => new SchedulerRpcClient(c.get(TOKENS.Transport), opts(c).timings.rpcTimeoutMs)).inSingletonScope();
    bind(TOKENS.ComputeRpcClient).toDynamicValue((c) => new ComputeRpcClient(c.get(TOKENS.Transport))).inSingletonScope();
    bind(TOKENS.InstanceActionRecorder).toDynamicValue((c) => new InstanceActionRecorder(db(c))).inSingletonScope();
  });

/** The compute API service objects (HTTP-free): what an HTTP front end calls. */
export const apiModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.InstanceLookup).toDynamicValue((c) => new InstanceLookup(db(c))).inSingletonScope();
  bind(TOKENS.ServerViewBuilder).toDynamicValue((c) => new ServerViewBuilder(db(c), c.get(TOKENS.NetworkService))).inSingletonScope();
  bind(TOKENS.ComputeNodeCapabilities).toDynamicValue((c) => new ComputeNodeCapabilities(db(c))).inSingletonScope();
  bind(TOKENS.ComputeApi).toDynamicValue((c) => new ComputeApiService(
    db(c), c.get(TOKENS.PolicyEngine), c.get(TOKENS.QuotaEngine), c.get(TOKENS.ImageService), c.get(TOKENS.NetworkService),
    c.get(TOKENS.ConductorRpcClient), c.get(TOKENS.ComputeRpcClient), c.get(TOKENS.InstanceActionRecorder),
    c.get(TOKENS.InstanceLookup), c.get(TOKENS.ServerViewBuilder), log(c).child({ service: 'api' }),
    {
      // Zones come from the compute services registered in the database, so an API-only
      // process knows every host's zone, and hosts added later count at once.
      availabilityZones: async () => [opts(c).defaultAvailabilityZone,
        ...await c.get<AvailabilityZoneService>(ADMIN_TOKENS.AvailabilityZones).availableZoneNames()],
      serviceDownTimeSec: opts(c).timings.serviceDownTimeSec,
      serverGroups: c.get<ServerGroupService>(ADMIN_TOKENS.ServerGroups),
    },
  )).inSingletonScope();
  bind(TOKENS.ServerActions).toDynamicValue((c) => new ServerActionService(
    db(c), c.get(TOKENS.PolicyEngine), c.get(TOKENS.QuotaEngine), c.get(TOKENS.ImageService), c.get(TOKENS.ComputeRpcClient),
    c.get(TOKENS.InstanceActionRecorder), c.get(TOKENS.InstanceLookup), c.get(TOKENS.ComputeNodeCapabilities),
  )).inSingletonScope();
  bind(TOKENS.ServerMetadata).toDynamicValue((c) => new ServerMetadataService(db(c), c.get(TOKENS.PolicyEngine), c.get(TOKENS.QuotaEngine), c.get(TOKENS.InstanceLookup))).inSingletonScope();
  bind(TOKENS.InstanceActions).toDynamicValue((c) => new InstanceActionService(db(c), c.get(TOKENS.PolicyEngine))).inSingletonScope();
});

export const conductorModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.BuildStepWriter).toDynamicValue((c) => new BuildStepWriter(db(c), c.get(TOKENS.InstanceActionRecorder))).inSingletonScope();
  bind(TOKENS.ConductorManager).toDynamicValue((c) => new ConductorManager(
    db(c), c.get(TOKENS.SchedulerRpcClient), c.get(TOKENS.ComputeRpcClient), c.get(TOKENS.InstanceActionRecorder), c.get(TOKENS.BuildStepWriter),
    c.get(TOKENS.Notifications), log(c).child({ service: 'conductor' }), { maxAttempts: opts(c).maxAttempts },
  )).inSingletonScope();
});

export const schedulerModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.HostStateCache).toDynamicValue((c) => new HostStateCache(db(c), {
    serviceDownTimeSec: opts(c).timings.serviceDownTimeSec, fullRefreshMs: opts(c).timings.schedulerRefreshMs,
  })).inSingletonScope();
  bind<HostSelector>(TOKENS.HostSelector).toDynamicValue((c) => opts(c).hostSelector ?? new FilterWeighSelector(
    [new ComputeFilter(), new RamFilter(), new DiskFilter(), new CoreFilter()], [new RamWeigher(1.0)],
  )).inSingletonScope();
  bind(TOKENS.SchedulerManager).toDynamicValue((c) => new SchedulerManager(
    c.get(TOKENS.HostStateCache), c.get(TOKENS.HostSelector), log(c).child({ service: 'scheduler' }), { maxAttempts: opts(c).maxAttempts },
  )).inSingletonScope();
});
