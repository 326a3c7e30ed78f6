import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { BadRequest, type LogLevel } from '@nubo/core';
import { applyEnvironment } from './apply-environment.js';
import { DEFAULT_CONFIG, type NuboConfig } from './nubo-config.js';

const LEVELS: LogLevel[] = ['debug', 'info', 'warn', 'error'];
const DRIVERS = ['fake', 'libvirt', 'vmware', 'xen'];

/**
 * Reads the cloud's configuration: defaults, then the file (`.json`, else YAML, which also
 * reads JSON), then the environment. Throws `BadRequest` naming what is wrong.
 */
export function loadConfig(path: string | undefined, env: NodeJS.ProcessEnv = process.env): NuboConfig {
  const file = path ? readConfigFile(path) : {};
  return validate(applyEnvironment(merge(DEFAULT_CONFIG, file), env));
}

function readConfigFile(path: string): Partial<NuboConfig> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new BadRequest(`Cannot read the configuration file ${path}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new BadRequest(`The configuration file ${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
  }
  if (parsed == null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new BadRequest(`The configuration file ${path} must hold an object.`);
  return parsed as Partial<NuboConfig>;
}

/** Deep merge of plain objects; arrays and scalars of `over` replace those of `base`. */
function merge<T>(base: T, over: unknown): T {
  if (!isPlain(base) || !isPlain(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge(out[k], v);
  return out as T;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function validate(c: NuboConfig): NuboConfig {
  if (typeof c.database?.url !== 'string' || !c.database.url) throw new BadRequest('database.url is required (or NUBO_DATABASE_URL).');
  if (typeof c.amqp?.url !== 'string' || !/^amqps?:\/\//.test(c.amqp.url)) throw new BadRequest(`amqp.url must be an amqp:// URL, not "${c.amqp?.url}".`);
  if (!LEVELS.includes(c.logLevel)) throw new BadRequest(`logLevel must be one of ${LEVELS.join(', ')}, not "${c.logLevel}".`);
  if (!DRIVERS.includes(c.compute.driver)) throw new BadRequest(`compute.driver must be one of ${DRIVERS.join(', ')}, not "${c.compute.driver}".`);
  if (!(c.staleBuildSweepSec > 0)) throw new BadRequest('staleBuildSweepSec must be a positive number of seconds.');
  return c;
}
