// Makes sure a real libvirtd answers before a suite talks to it: CI runs
// scripts/setup/libvirt.sh first; a developer's fresh machine gets it run here.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LibvirtConnection } from '../../src/rpc/libvirt-connection.js';

const setupScript = fileURLToPath(new URL('../../../../scripts/setup/libvirt.sh', import.meta.url));

/** Prefix of every domain a test creates; scripts/setup/libvirt.sh clears leftovers with it. */
export const TEST_PREFIX = 'nubotest-';

export async function ensureLibvirtd(): Promise<void> {
  try {
    const c = await LibvirtConnection.open('qemu:///system', { connectTimeoutMs: 2000 });
    await c.close();
  } catch {
    execFileSync('bash', [setupScript], { stdio: 'inherit', timeout: 900_000 });
  }
}
