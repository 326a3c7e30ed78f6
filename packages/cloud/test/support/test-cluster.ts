import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ADMIN_TOKENS, adminApiModule, Cloud, InstanceSchema, silentLogger,
  type DatabaseEngine, type HostAdminService, type Instance, type RequestContext, type ServerView,
} from '@nubo/core';
import { createTestDatabase, type TestDatabase } from '@nubo/core/testing';
import { AmqpTransport } from '@nubo/transport-amqp';
import { spawnNubo, type NuboChild, type NuboConfig } from '../../src/index.js';
import { createTestVhost, type TestVhost } from './rabbitmq-vhost.js';

/** Short liveness timings, so a dead service is noticed within seconds. */
export const TEST_TIMINGS = { reportIntervalSec: 1, serviceDownTimeSec: 4, rpcTimeoutMs: 30_000, resourceUpdateIntervalSec: 5 };

/** Room for a few thousand servers in the one test project. */
export const TEST_NETWORK = { fixedRange: '10.0.0.0/8', networkPrefix: 16 };

export interface ClusterOptions {
  engine?: Exclude<DatabaseEngine, 'sqlite'>;
  config?: Partial<NuboConfig>;
}

/**
 * A multi-node cloud for one test file: a scratch database (PostgreSQL or MariaDB) and a
 * RabbitMQ vhost of its own, `nubo` service processes started on demand, and an API worker
 * in the test process (the compute API service objects over the same bus and database) that
 * plays the user.
 */
export class TestCluster {
  readonly children = new Map<string, NuboChild>();
  admin!: RequestContext;
  imageId!: string;
  client!: Cloud;
  private clientTransport!: AmqpTransport;

  private constructor(readonly dir: string, readonly db: TestDatabase, readonly vhost: TestVhost, readonly config: NuboConfig) {}

  static async start(o: ClusterOptions = {}): Promise<TestCluster> {
    const [db, vhost] = await Promise.all([createTestDatabase(o.engine ?? 'postgres'), createTestVhost()]);
    const dir = mkdtempSync(join(tmpdir(), 'nubo-mn-'));
    const config: NuboConfig = {
      database: { url: db.url, poolSize: 4 },
      amqp: { url: vhost.url, exchange: 'nubo' },
      imageDataDir: join(dir, 'images'),
      logLevel: 'info',
      api: { host: '127.0.0.1', ports: { identity: 0, compute: 0, image: 0 } },
      timings: TEST_TIMINGS,
      staleBuildSweepSec: 1,
      network: TEST_NETWORK,
      compute: { driver: 'fake' },
      ...o.config,
    };
    const cluster = new TestCluster(dir, db, vhost, config);
    await cluster.startClient();
    return cluster;
  }

  /** The user's side, in this process: migrates the database, bootstraps the admin, uploads an image. */
  private async startClient(): Promise<void> {
    this.clientTransport = new AmqpTransport({ url: this.config.amqp.url, exchange: this.config.amqp.exchange, logger: silentLogger, connectionName: 'nubo-test-client' });
    this.client = await Cloud.start({
      database: { url: this.config.database.url, poolSize: 4 },
      transport: this.clientTransport,
      services: { api: true, scheduler: false, conductor: false },
      hostName: 'test-api',
      logger: silentLogger,
      imageDataDir: this.config.imageDataDir,
      timings: this.config.timings,
      network: this.config.network,
      bootstrap: { adminUser: 'admin', adminPassword: 'secret', adminProject: 'admin' },
      identity: { passwordHashCost: 4 },
      quotaDefaults: { instances: -1, cores: -1, ram: -1 },
    });
    if (!this.client.container.isBound(ADMIN_TOKENS.HostAdmin)) await this.client.container.load(adminApiModule);
    const token = await this.client.identity.authenticatePassword(
      { user: { name: 'admin', domainId: 'default' }, password: 'secret' }, { project: { name: 'admin', domainId: 'default' } });
    this.admin = await this.client.authenticate(token.token, 'req-setup');
    const image = await this.client.images.create(this.admin, { name: 'cirros', diskFormat: 'raw', containerFormat: 'bare', visibility: 'public' });
    await this.client.images.upload(this.admin, image.id, (async function* () { yield new Uint8Array(4096).fill(7); })());
    this.imageId = image.id;
  }

  /** Writes a config file (the shared one, with `overrides` merged in) and returns its path. */
  configFile(name: string, overrides: Partial<NuboConfig> = {}): string {
    const path = join(this.dir, `${name}.json`);
    writeFileSync(path, JSON.stringify({ ...this.config, ...overrides }));
    return path;
  }

  /** Starts `nubo <args>` as `name` and waits until it is ready. */
  async spawn(name: string, args: string[], configPath = this.configFile('nubo')): Promise<NuboChild> {
    const child = spawnNubo([...args, '--config', configPath], { name });
    this.children.set(name, child);
    await child.ready;
    return child;
  }

  /** Starts several at once (process start-up is the slow part) and waits for all. */
  async spawnAll(list: Array<{ name: string; args: string[]; config?: string }>): Promise<void> {
    await Promise.all(list.map((p) => this.spawn(p.name, p.args, p.config)));
  }

  child(name: string): NuboChild {
    const c = this.children.get(name);
    if (!c) throw new Error(`no process ${name}`);
    return c;
  }

  async createServers(count: number, name = 'vm', requestId = `req-${name}`): Promise<string[]> {
    const ctx = { ...this.admin, requestId };
    const { servers } = await this.client.computeApi.createServers(ctx, { name, flavorRef: '1', imageRef: this.imageId, minCount: count, maxCount: count });
    return servers.map((s) => s.instance.uuid);
  }

  server(uuid: string): Promise<ServerView> {
    return this.client.computeApi.getServer(this.admin, uuid);
  }

  instances(): Promise<Instance[]> {
    return this.client.database.repo(InstanceSchema).find();
  }

  /** Service rows as os-services shows them (state up/down by service_down_time). */
  async services(): Promise<Array<{ binary: string; host: string; state: string }>> {
    const admin = this.client.container.get<HostAdminService>(ADMIN_TOKENS.HostAdmin);
    return (await admin.listServices(this.admin)).map((s) => ({ binary: s.binary, host: s.host, state: s.state }));
  }

  /**
   * SIGTERMs every process, conductors last (the others may still need one to finish their
   * work), closes the client, drops database and vhost. Returns how each process exited.
   */
  async stop(): Promise<Array<{ name: string; code: number | null; signal: string | null }>> {
    const term = (list: Array<[string, NuboChild]>) => Promise.all(list.map(async ([name, c]) => ({ name, ...(await c.kill('SIGTERM')) })));
    const all = [...this.children];
    const exits = await term(all.filter(([, c]) => c.args[0] !== 'conductor'));
    exits.push(...(await term(all.filter(([, c]) => c.args[0] === 'conductor'))));
    await this.client?.stop().catch(() => undefined);
    await this.clientTransport?.close().catch(() => undefined);
    await this.db.drop().catch(() => undefined);
    await this.vhost.drop();
    rmSync(this.dir, { recursive: true, force: true });
    return exits;
  }
}

/** Polls `probe` until `done` holds (the tests never assert on how long that takes). */
export async function waitFor<T>(probe: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 90_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (done(v)) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(v)?.slice(0, 800)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
