import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cloud, FakeDriver, JsonLogger, type CloudOptions, type LogRecord } from '@nubo/core';
import { startOpenStackApi, type OpenStackApi } from '../../src/index.js';

export interface ApiCloud {
  cloud: Cloud;
  api: OpenStackApi;
  drivers: FakeDriver[];
  logs: LogRecord[];
  dir: string;
  stop(): Promise<void>;
}

export const ADMIN_PASSWORD = 'secret';

/** An all-in-one cloud (temp SQLite file, fake hosts) with the three APIs on ephemeral ports of 127.0.0.1. */
export async function startApiCloud(hosts = 2, extra: Partial<CloudOptions> = {}): Promise<ApiCloud> {
  const dir = mkdtempSync(join(tmpdir(), 'nubo-api-'));
  const logs: LogRecord[] = [];
  const drivers = Array.from({ length: hosts }, () => new FakeDriver({ capacity: { vcpus: 32, memoryMb: 65536, localGb: 2000 } }));
  const cloud = await Cloud.start({
    database: { url: `sqlite:${join(dir, 'nubo.sqlite')}` },
    imageDataDir: join(dir, 'images'),
    hostName: 'api-test',
    logger: new JsonLogger((r) => logs.push(r), 'info'),
    computeHosts: drivers.map((driver, i) => ({ host: `compute${i + 1}`, driver })),
    bootstrap: { adminUser: 'admin', adminPassword: ADMIN_PASSWORD, adminProject: 'admin' },
    identity: { passwordHashCost: 10 },
    ...extra,
  });
  const api = await startOpenStackApi(cloud, { ports: { identity: 0, compute: 0, image: 0 } });
  return {
    cloud, api, drivers, logs, dir,
    async stop() {
      await api.close();
      await cloud.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
