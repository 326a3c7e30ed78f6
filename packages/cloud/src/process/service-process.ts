import { hostname } from 'node:os';
import {
  Cloud, JsonLogger, StaleBuildReaper, TOKENS,
  type CloudOptions, type ConductorManager, type ConductorRpcClient, type Logger,
} from '@nubo/core';
import { startOpenStackApi, type OpenStackApi } from '@nubo/api-openstack';
import { AmqpTransport } from '@nubo/transport-amqp';
import type { ServiceName } from '../cli/parse-args.js';
import type { DriverName, NuboConfig } from '../config/nubo-config.js';
import { loadDriver } from './driver-loader.js';
import { ServiceHeartbeat } from './service-heartbeat.js';

export interface ServiceProcessOptions {
  service: ServiceName;
  config: NuboConfig;
  /** This process's host name (a compute's host name); overrides `config.hostName`. */
  host?: string;
  driver?: DriverName;
  logger?: Logger;
}

/** Attempts at opening the cloud before giving up (the database or broker may still be starting). */
const START_ATTEMPTS = 5;

/**
 * One Nubo service in this process, on RabbitMQ and the shared SQL database: `api` (the
 * OpenStack APIs over the compute API service), `scheduler`, `conductor` or one `compute`
 * host. Schedulers and conductors report their liveness as computes do; conductors also
 * sweep for builds that a dead compute host never finished.
 */
export class ServiceProcess {
  /** Periodic duties to end first on stop, newest first. */
  private readonly duties: Array<() => Promise<void>> = [];
  private stopping: Promise<void> | null = null;

  private constructor(
    readonly service: ServiceName, readonly host: string, readonly cloud: Cloud, readonly api: OpenStackApi | null,
    private readonly transport: AmqpTransport, readonly logger: Logger,
  ) {}

  static async start(o: ServiceProcessOptions): Promise<ServiceProcess> {
    const { config, service } = o;
    const startedAt = new Date();
    const host = o.host ?? config.hostName ?? hostname();
    const logger = (o.logger ?? new JsonLogger(undefined, config.logLevel)).child({ process: `nubo-${service}`, host });
    const transport = new AmqpTransport({
      url: config.amqp.url, exchange: config.amqp.exchange, prefetch: config.amqp.prefetch, logger,
      connectionName: `nubo-${service}@${host}`, defaultTimeoutMs: config.timings.rpcTimeoutMs,
    });
    let cloud: Cloud;
    try {
      const driver = service === 'compute' ? await loadDriver({ ...config.compute, driver: o.driver ?? config.compute.driver }, logger) : null;
      cloud = await startCloud({
        database: { url: config.database.url, poolSize: config.database.poolSize },
        transport,
        services: { api: service === 'api', scheduler: service === 'scheduler', conductor: service === 'conductor' },
        computeHosts: driver ? [{ host, driver, availabilityZone: config.compute.availabilityZone }] : [],
        hostName: host,
        logger,
        imageDataDir: config.imageDataDir,
        timings: config.timings,
        network: config.network,
        maxAttempts: config.maxAttempts,
        bootstrap: service === 'api' ? config.bootstrap : undefined,
      }, logger);
    } catch (err) {
      await transport.close().catch(() => undefined);
      throw err;
    }
    let api: OpenStackApi | null = null;
    try {
      if (service === 'api') api = await startOpenStackApi(cloud, { host: config.api.host, ports: config.api.ports, logger });
    } catch (err) {
      await cloud.stop().catch(() => undefined);
      await transport.close().catch(() => undefined);
      throw err;
    }
    const p = new ServiceProcess(service, host, cloud, api, transport, logger);
    try {
      await p.startDuties(config, startedAt);
    } catch (err) {
      await p.stop();
      throw err;
    }
    return p;
  }

  /** Liveness reports and periodic tasks of this kind of service. */
  private async startDuties(config: NuboConfig, startedAt: Date): Promise<void> {
    const c = this.cloud.container;
    const timings = this.cloud.options.timings;
    const reaper = new StaleBuildReaper(this.cloud.database, c.get<ConductorRpcClient>(TOKENS.ConductorRpcClient),
      this.logger.child({ component: 'stale-build-reaper' }), { serviceDownTimeSec: timings.serviceDownTimeSec });
    const identity = { binary: `nubo-${this.service}`, host: this.host, topic: this.service, availabilityZone: 'internal' };
    if (this.service === 'scheduler') {
      const conductor = c.get<ConductorRpcClient>(TOKENS.ConductorRpcClient);
      this.beat(new ServiceHeartbeat((s) => conductor.serviceReport(null, s), identity, timings.reportIntervalSec, this.logger));
    }
    if (this.service === 'conductor') {
      const manager = c.get<ConductorManager>(TOKENS.ConductorManager);
      this.beat(new ServiceHeartbeat((s) => manager.serviceReport(s), identity, timings.reportIntervalSec, this.logger));
      this.every(config.staleBuildSweepSec, () => reaper.sweep());
    }
    if (this.service === 'compute') {
      // Builds this host held in a previous life died with it: hand them back to the conductor.
      const taken = await reaper.reclaimHost(this.host, `Compute host ${this.host} restarted during the build.`, startedAt);
      if (taken.length) this.logger.warn('builds left over from before a restart handed back', { instances: taken });
    }
  }

  private beat(heartbeat: ServiceHeartbeat): void {
    heartbeat.start();
    this.duties.unshift(() => heartbeat.stop());
  }

  private every(sec: number, task: () => Promise<unknown>): void {
    let running: Promise<unknown> | null = null;
    const timer = setInterval(() => {
      if (running) return;
      running = task().catch((err) => this.logger.warn('periodic task failed', { error: String(err) })).finally(() => { running = null; });
    }, sec * 1000);
    timer.unref();
    this.duties.unshift(async () => { clearInterval(timer); await running; });
  }

  /**
   * Graceful stop: periodic tasks end, the HTTP APIs stop taking requests, every RPC server
   * stops consuming and finishes (and acknowledges) what it holds, then the connections close.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.logger.info('nubo service stopping', { service: this.service, host: this.host });
      for (const end of this.duties) await end().catch(() => undefined);
      await this.api?.close().catch(() => undefined);
      await this.cloud.stop();
      await this.transport.close().catch(() => undefined);
      this.logger.info('nubo service stopped', { service: this.service, host: this.host });
    })();
    return this.stopping;
  }
}

async function startCloud(options: CloudOptions, logger: Logger): Promise<Cloud> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await Cloud.start(options);
    } catch (err) {
      if (attempt >= START_ATTEMPTS) throw err;
      logger.warn('cloud start failed; retrying', { attempt, error: String(err) });
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}
