#!/usr/bin/env node
// Launcher: runs the TypeScript source through tsx with the workspace's `nubo-source` condition,
// in a child process so that signals (SIGTERM for a graceful stop) reach the service directly.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const tsx = import.meta.resolve('tsx');
const child = spawn(process.execPath, ['--conditions=nubo-source', '--import', tsx, join(here, '..', 'src', 'bin', 'nubo.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
