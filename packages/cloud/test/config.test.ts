import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BadRequest, silentLogger } from '@nubo/core';
import { loadConfig, loadDriver, parseArgs } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'nubo-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };

describe('the nubo command line and its configuration', () => {
  it('reads one YAML file for every service, environment variables overriding it', () => {
    const path = file('nubo.yaml', [
      'database: { url: postgres://nubo@db1:5432/nubo }',
      'amqp: { url: amqp://guest:guest@mq1:5672/prod, exchange: cloud1 }',
      'api: { ports: { compute: 18774 } }',
      'timings: { reportIntervalSec: 5 }',
      'compute: { driver: fake, fake: { capacity: { vcpus: 8 } } }',
    ].join('\n'));
    const c = loadConfig(path, { NUBO_DATABASE_URL: 'mariadb://root@db2:3306/nubo', NUBO_SERVICE_DOWN_TIME_SEC: '30', NUBO_IMAGE_PORT: '0' });
    expect(c.database.url).toBe('mariadb://root@db2:3306/nubo');
    expect(c.amqp).toEqual({ url: 'amqp://guest:guest@mq1:5672/prod', exchange: 'cloud1' });
    // Unset ports keep their defaults; the file's and the environment's are merged in.
    expect(c.api.ports).toEqual({ identity: 5000, compute: 18774, image: 0 });
    expect(c.timings).toEqual({ resourceReportMinIntervalMs: 1000, reportIntervalSec: 5, serviceDownTimeSec: 30 });
    expect(c.compute.fake).toEqual({ capacity: { vcpus: 8 } });
  });

  it('reads JSON too, and names what is wrong in a bad file or value', () => {
    expect(loadConfig(file('c.json', '{"amqp":{"url":"amqp://h/v","exchange":"x"}}'), {}).amqp.exchange).toBe('x');
    expect(() => loadConfig(file('bad.json', '{"amqp": '), {})).toThrow(/not valid JSON/);
    expect(() => loadConfig(join(dir, 'missing.yaml'), {})).toThrow(/Cannot read the configuration file/);
    expect(() => loadConfig(undefined, { NUBO_AMQP_URL: 'http://x' })).toThrow(/amqp.url must be an amqp:\/\/ URL/);
    expect(() => loadConfig(undefined, { NUBO_COMPUTE_PORT: '99999' })).toThrow(/NUBO_COMPUTE_PORT must be a port number/);
    expect(() => loadConfig(undefined, { NUBO_COMPUTE_DRIVER: 'hyperv' })).toThrow(/compute.driver must be one of fake, libvirt, vmware, xen/);
  });

  it('parses one service per process, and refuses a bad command line with the reason', () => {
    expect(parseArgs(['compute', '--host', 'c1', '--driver', 'libvirt', '--config', '/etc/nubo.yaml'], {})).toEqual({
      kind: 'service', service: 'compute', host: 'c1', driver: 'libvirt', configPath: '/etc/nubo.yaml',
    });
    expect(parseArgs(['scheduler'], { NUBO_CONFIG: '/etc/n.json' })).toMatchObject({ kind: 'service', service: 'scheduler', configPath: '/etc/n.json' });
    expect(parseArgs(['db', 'sync'], {})).toEqual({ kind: 'db-sync', configPath: undefined });
    expect(parseArgs([], {})).toEqual({ kind: 'help' });
    expect(() => parseArgs(['compute'], {})).toThrow(/needs --host NAME/);
    expect(() => parseArgs(['scheduler', '--driver', 'fake'], {})).toThrow(/--driver is for "nubo compute" only/);
    expect(() => parseArgs(['network'], {})).toThrow(BadRequest);
    expect(() => parseArgs(['api', '--port', '1'], {})).toThrow(/Unknown option --port/);
  });

  it('drives a Xen host with --driver xen, at the dom0 the configuration names', async () => {
    const c = loadConfig(file('xen.yaml', 'compute: { driver: xen, xen: { uri: "xen+tcp://127.0.0.1:1/system", connectTimeoutMs: 2000 } }'), {});
    const driver = await loadDriver(c.compute, silentLogger);
    expect(driver.type).toBe('Xen');
    // Nothing listens on port 1: the driver went for the configured dom0 and says so.
    await expect(driver.init('xen-a')).rejects.toThrow(/127\.0\.0\.1:1|ECONNREFUSED/);
  });
});
