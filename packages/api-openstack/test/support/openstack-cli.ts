import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ApiEndpoints } from '../../src/index.js';

const run = promisify(execFile);

/** The OS_* environment a user exports for the CLI (nothing inherited from the machine's own OS_*). */
export function cliEnv(e: ApiEndpoints, user: string, password: string, project: string, home: string): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8',
    OS_AUTH_URL: `${e.identity}/v3`, OS_IDENTITY_API_VERSION: '3', OS_USERNAME: user, OS_PASSWORD: password,
    OS_PROJECT_NAME: project, OS_USER_DOMAIN_NAME: 'Default', OS_PROJECT_DOMAIN_NAME: 'Default', OS_REGION_NAME: 'RegionOne',
  };
}

/** Runs a real client (`/usr/bin/openstack`, `/usr/bin/nova`, `/usr/bin/python3`) and returns its stdout. */
export async function runClient(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout } = await run(bin, args, { env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${bin} ${args.join(' ')} failed: ${e.message}\n${e.stderr ?? ''}\n${e.stdout ?? ''}`);
  }
}

/** `openstack … -f json`, parsed. */
export async function osc(env: NodeJS.ProcessEnv, ...args: string[]): Promise<any> {
  return JSON.parse(await runClient('/usr/bin/openstack', [...args, '-f', 'json'], env));
}

/** Rows of a novaclient table (`| a | b |` lines), as objects keyed by the header. */
export function parseTable(text: string): Record<string, string>[] {
  const lines = text.split('\n').filter((l) => l.startsWith('|'));
  const cells = (l: string) => l.split('|').slice(1, -1).map((c) => c.trim());
  const [head, ...rows] = lines;
  if (!head) return [];
  const keys = cells(head);
  return rows.map((r) => Object.fromEntries(cells(r).map((c, i) => [keys[i]!, c])));
}
