import { randomUUID } from 'node:crypto';
import { Container } from 'inversify';
import { JsonLogger, type Logger } from '../logging/logger.js';
import type { RequestContext } from '../model/request-context.js';
import type { NotificationBus } from '../notifications/notification-bus.js';
import { Database } from '../persistence/database.js';
import type { IdentityProvider } from '../ports/identity-provider.js';
import type { ImageService } from '../ports/image-service.js';
import type { RpcServerHandle, Transport } from '../ports/transport.js';
import { MemoryTransport } from '../transport/memory-transport.js';
import type { ComputeApiService } from '../services/api/compute-api-service.js';
import { seedDefaultFlavors } from '../services/api/default-flavors-seed.js';
import type { InstanceActionService } from '../services/api/instance-action-service.js';
import type { ServerActionService } from '../services/api/server-action-service.js';
import type { ServerMetadataService } from '../services/api/server-metadata-service.js';
import { ComputeManager } from '../services/compute/compute-manager.js';
import { serveCompute } from '../services/compute/compute-rpc-server.js';
import { ResourceTracker } from '../services/compute/resource-tracker.js';
import type { ConductorManager } from '../services/conductor/conductor-manager.js';
import { serveConductor } from '../services/conductor/conductor-rpc-server.js';
import type { BootstrapResult, BuiltinIdentityProvider } from '../services/identity/builtin-identity-provider.js';
import type { SchedulerManager } from '../services/scheduler/scheduler-manager.js';
import { serveScheduler } from '../services/scheduler/scheduler-rpc-server.js';
import type { CloudOptions, ComputeHostOptions } from './cloud-options.js';
import { apiModule, conductorModule, foundationModule, resolveOptions, schedulerModule, type ResolvedOptions } from './core-modules.js';
import { TOKENS } from './tokens.js';
import { adminApiModule } from './admin-api-module.js';

/**
 * A running cloud, or the part of one this process runs: the container that wired it, the
 * RPC servers it serves, and its compute hosts. `Cloud.start(options)` opens the database
 * (running migrations), seeds flavors, bootstraps identity, then starts the services.
 */
export class Cloud {
  private readonly servers: RpcServerHandle[] = [];
  private readonly computes: ComputeManager[] = [];
  bootstrapResult: BootstrapResult | null = null;

  private constructor(readonly container: Container, readonly options: ResolvedOptions, private readonly ownsTransport: boolean) {}

  static async start(input: CloudOptions): Promise<Cloud> {
    const options = resolveOptions(input);
    const logger: Logger = options.logger ?? new JsonLogger();
    const database = await new Database(options.database).open();
    const transport: Transport = options.transport ?? new MemoryTransport();
    const container = new Container();
    await container.load(foundationModule(database, transport, logger, options));
    const run = { api: true, scheduler: true, conductor: true, ...options.services };
    if (run.api) await container.load(apiModule, adminApiModule);
    if (run.conductor) await container.load(conductorModule);
    if (run.scheduler) await container.load(schedulerModule);
    const cloud = new Cloud(container, options, !options.transport);
    try {
      await cloud.boot(run);
    } catch (err) {
      await cloud.stop();
      throw err;
    }
    return cloud;
  }

  private async boot(run: { api: boolean; scheduler: boolean; conductor: boolean }): Promise<void> {
    const db = this.database;
    const log = this.container.get<Logger>(TOKENS.Logger);
    if (run.api) {
      await seedDefaultFlavors(db);
      if (this.options.bootstrap) {
        this.bootstrapResult = await this.container.get<BuiltinIdentityProvider>(TOKENS.IdentityProvider).bootstrap(this.options.bootstrap);
      }
    }
    if (run.conductor) {
      this.servers.push(await serveConductor(this.transport, this.container.get<ConductorManager>(TOKENS.ConductorManager), this.options.hostName));
    }
    if (run.scheduler) {
      const cache = this.container.get<import('../services/scheduler/host-state-cache.js').HostStateCache>(TOKENS.HostStateCache);
      await cache.reload();
      this.servers.push(await serveScheduler(this.transport, this.container.get<SchedulerManager>(TOKENS.SchedulerManager), this.options.hostName));
    }
    for (const h of this.options.computeHosts ?? []) await this.addComputeHost(h);
    log.info('cloud started', { host: this.options.hostName, services: run, computeHosts: this.computes.map((c) => c.host) });
  }

  /** Starts one more compute host in this process (e.g. to grow a test fleet). */
  async addComputeHost(h: ComputeHostOptions): Promise<ComputeManager> {
    const c = this.container;
    const o = this.options;
    const ratios = { cpuAllocationRatio: 16, ramAllocationRatio: 1.5, diskAllocationRatio: 1.0, ...o.allocationRatios };
    const manager = new ComputeManager(
      h.driver, c.get(TOKENS.ConductorRpcClient), c.get(TOKENS.ImageService), c.get(TOKENS.NetworkService),
      new ResourceTracker(h.host, h.driver, { ...ratios, reservedHostMemoryMb: 0, reservedHostDiskMb: 0 }),
      c.get(TOKENS.Notifications), c.get<Logger>(TOKENS.Logger).child({ service: 'compute', host: h.host }),
      {
        host: h.host, availabilityZone: h.availabilityZone ?? o.defaultAvailabilityZone,
        reportIntervalSec: o.timings.reportIntervalSec, resourceUpdateIntervalSec: o.timings.resourceUpdateIntervalSec,
        syncPowerStateIntervalSec: o.timings.syncPowerStateIntervalSec,
        resourceReportMinIntervalMs: o.timings.resourceReportMinIntervalMs,
      },
    );
    this.servers.push(await serveCompute(this.transport, manager));
    await manager.start();
    this.computes.push(manager);
    return manager;
  }

  /** Stops serving (in-flight work finishes first), stops compute hosts, closes the database. */
  async stop(): Promise<void> {
    for (const s of this.servers.splice(0).reverse()) await s.stop().catch(() => undefined);
    for (const c of this.computes.splice(0)) await c.stop().catch(() => undefined);
    if (this.ownsTransport) await this.transport.close().catch(() => undefined);
    await this.database.close();
  }

  /** Validates a token and returns the request context it stands for (Unauthorized if it does not). */
  async authenticate(token: string, requestId = `req-${randomUUID()}`): Promise<RequestContext> {
    const identity = this.identity;
    const info = await identity.validateToken(token);
    this.container.get<Logger>(TOKENS.Logger).info('token validated', { requestId, user: info.userId, project: info.projectId });
    return { ...identity.contextFor(info, requestId), authToken: token };
  }

  get database(): Database { return this.container.get(TOKENS.Database); }
  get transport(): Transport { return this.container.get(TOKENS.Transport); }
  get identity(): IdentityProvider { return this.container.get(TOKENS.IdentityProvider); }
  get images(): ImageService { return this.container.get(TOKENS.ImageService); }
  get notifications(): NotificationBus { return this.container.get(TOKENS.Notifications); }
  get computeApi(): ComputeApiService { return this.container.get(TOKENS.ComputeApi); }
  get serverActions(): ServerActionService { return this.container.get(TOKENS.ServerActions); }
  get serverMetadata(): ServerMetadataService { return this.container.get(TOKENS.ServerMetadata); }
  get instanceActions(): InstanceActionService { return this.container.get(TOKENS.InstanceActions); }
  get computeHosts(): readonly ComputeManager[] { return this.computes; }
}
