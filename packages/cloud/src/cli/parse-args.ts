import { BadRequest } from '@nubo/core';
import type { DriverName } from '../config/nubo-config.js';

export type ServiceName = 'api' | 'scheduler' | 'conductor' | 'compute';

/** What the command line asked for. */
export type Command =
  | { kind: 'service'; service: ServiceName; configPath?: string; host?: string; driver?: DriverName }
  | { kind: 'db-sync'; configPath?: string }
  | { kind: 'help' };

export const USAGE = `Usage:
  nubo api        [--config FILE] [--host NAME]
  nubo scheduler  [--config FILE] [--host NAME]
  nubo conductor  [--config FILE] [--host NAME]
  nubo compute    [--config FILE] --host NAME [--driver fake|libvirt|vmware|xen]
  nubo db sync    [--config FILE]      bring the database schema up to date, then exit

The config file is JSON or YAML (default: $NUBO_CONFIG if set); NUBO_* environment
variables override it (NUBO_DATABASE_URL, NUBO_AMQP_URL, NUBO_HOST_NAME, ports, …).
SIGTERM stops a service gracefully: it stops consuming, finishes what it holds, and exits 0.`;

const SERVICES: ServiceName[] = ['api', 'scheduler', 'conductor', 'compute'];

/** Parses `nubo …` arguments; throws `BadRequest` with the reason on a bad command line. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): Command {
  const [first, ...rest] = argv;
  if (!first || first === '--help' || first === '-h' || first === 'help') return { kind: 'help' };
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (!a.startsWith('--')) { positional.push(a); continue; }
    const eq = a.indexOf('=');
    const [name, value] = eq > 0 ? [a.slice(2, eq), a.slice(eq + 1)] : [a.slice(2), rest[++i]];
    if (value === undefined || value.startsWith('--')) throw new BadRequest(`--${name} needs a value.`);
    if (!['config', 'host', 'driver'].includes(name)) throw new BadRequest(`Unknown option --${name}.`);
    flags.set(name, value);
  }
  const configPath = flags.get('config') ?? env.NUBO_CONFIG;
  if (first === 'db') {
    if (positional[0] !== 'sync') throw new BadRequest('Only "nubo db sync" is known.');
    return { kind: 'db-sync', configPath };
  }
  if (!SERVICES.includes(first as ServiceName)) throw new BadRequest(`Unknown service "${first}": use ${SERVICES.join(', ')} or db sync.`);
  if (positional.length) throw new BadRequest(`Unexpected argument "${positional[0]}".`);
  const driver = flags.get('driver') as DriverName | undefined;
  if (driver && first !== 'compute') throw new BadRequest('--driver is for "nubo compute" only.');
  if (first === 'compute' && !flags.get('host') && !env.NUBO_HOST_NAME) throw new BadRequest('"nubo compute" needs --host NAME (its compute host name).');
  return { kind: 'service', service: first as ServiceName, configPath, host: flags.get('host'), driver };
}
