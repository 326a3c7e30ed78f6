import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The `nubo` entry point, run from source through tsx (as the package's bin launcher does). */
const NUBO_MAIN = fileURLToPath(new URL('../bin/nubo.ts', import.meta.url));
const TSX_LOADER = createRequire(import.meta.url).resolve('tsx');

export interface NuboChildOptions {
  /** A short label for this process in logs (e.g. `compute1`). */
  name: string;
  env?: NodeJS.ProcessEnv;
  /** Each output line (stdout and stderr), e.g. to echo it prefixed. */
  onLine?: (line: string, child: NuboChild) => void;
}

/** What a service says when it is up: the `nubo service ready` log line. */
export interface ReadyRecord {
  service: string;
  host: string;
  endpoints?: { identity: string; compute: string; image: string };
}

/**
 * One `nubo …` process started by a launcher (the multi-node example, tests, benches): its
 * output as JSON log records, a promise of its readiness and one of its exit.
 */
export class NuboChild {
  readonly process: ChildProcess;
  readonly records: Array<Record<string, unknown>> = [];
  readonly ready: Promise<ReadyRecord>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly output: string[] = [];

  constructor(readonly args: string[], readonly options: NuboChildOptions) {
    this.process = spawn(process.execPath, ['--conditions=nubo-source', '--import', TSX_LOADER, NUBO_MAIN, ...args], {
      env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => this.process.once('exit', (code, signal) => resolve({ code, signal })));
    this.ready = new Promise<ReadyRecord>((resolve, reject) => {
      const read = (stream: NodeJS.ReadableStream) => createInterface({ input: stream }).on('line', (line) => {
        this.output.push(line);
        if (this.output.length > 400) this.output.shift();
        options.onLine?.(line, this);
        const record = parseRecord(line);
        if (!record) return;
        this.records.push(record);
        if (record.msg === 'nubo service ready') resolve(record as unknown as ReadyRecord);
      });
      read(this.process.stdout!);
      read(this.process.stderr!);
      void this.exited.then(({ code, signal }) => reject(new Error(
        `nubo ${args.join(' ')} (${options.name}) exited (code ${code}, signal ${signal}) before it was ready:\n${this.tail()}`)));
    });
    this.ready.catch(() => undefined);
  }

  get pid(): number {
    return this.process.pid!;
  }

  /** The last lines it printed, for error messages. */
  tail(lines = 40): string {
    return this.output.slice(-lines).join('\n');
  }

  /** Sends `signal` (SIGTERM: graceful stop; SIGKILL: a crash) and resolves when it has exited. */
  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill(signal);
    return this.exited;
  }
}

function parseRecord(line: string): Record<string, unknown> | null {
  if (!line.startsWith('{')) return null;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** Starts `nubo …args` as a child process. */
export function spawnNubo(args: string[], options: NuboChildOptions): NuboChild {
  return new NuboChild(args, options);
}
