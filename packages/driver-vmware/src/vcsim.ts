import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import readline from 'node:readline';

// Starts govmomi's vSphere API simulator for tests, benchmarks and demos. It is a simulator of
// the vSphere API with an in-memory inventory; no VM really runs (see the package README).

/** Where scripts/setup/vcsim.sh puts the simulator (NUBO_VCSIM_BIN overrides). */
export const VCSIM_BIN = process.env.NUBO_VCSIM_BIN ?? '/var/cache/nubo/vcsim/vcsim';

/** A running simulator. */
export interface Vcsim {
  /** The SDK endpoint without credentials, e.g. https://127.0.0.1:41234/sdk. */
  sdkUrl: string;
  /** PEM of the simulator's self-signed certificate (https only). */
  ca?: string;
  /** The file vcsim wrote that PEM to (removed when it stops). */
  caFile?: string;
  stop(): Promise<void>;
}

/**
 * Starts a private simulator on a free loopback port; `args` are vcsim flags (`-tls=false`, `-username`, …).
 * Its inventory is vcsim's default: datacenter DC0, cluster DC0_C0 (3 hosts), standalone host
 * DC0_H0, datastore LocalDS_0, network `VM Network`.
 */
export async function startVcsim(args: string[] = []): Promise<Vcsim> {
  if (!existsSync(VCSIM_BIN)) {
    throw new Error(`vcsim not found at ${VCSIM_BIN}: run scripts/setup/vcsim.sh (as root) first`);
  }
  const child = spawn(VCSIM_BIN, ['-l', '127.0.0.1:0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = once(child, 'exit');
  // Never leave a simulator behind when the test process ends without calling stop().
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  // The simulator logs TLS handshakes and lookups of deleted objects; keep it quiet unless asked.
  if (process.env.NUBO_VCSIM_LOG) child.stderr!.pipe(process.stderr);
  else child.stderr!.resume();
  const env: Record<string, string> = {};
  for await (const line of readline.createInterface({ input: child.stdout! })) {
    const [k, v] = line.split(/=(.*)/s);
    env[k!] = v ?? '';
    if (k === 'VCSIM_PID') break;
  }
  if (!env.VCSIM_URL) throw new Error('vcsim did not start');
  const url = new URL(env.VCSIM_URL);
  const ca = env.VCSIM_CA_CERT ? await readFile(env.VCSIM_CA_CERT, 'utf8') : undefined;
  return {
    sdkUrl: `${url.protocol}//${url.host}${url.pathname}`,
    ca,
    caFile: env.VCSIM_CA_CERT || undefined,
    stop: async () => {
      process.off('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
