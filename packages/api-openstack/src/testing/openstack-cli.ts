import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { TEST_ADMIN } from './all-in-one-cloud.js';

const run = promisify(execFile);

/** The real `openstack` CLI, logged in as `TEST_ADMIN` through the given Identity v3 endpoint. */
export interface OpenStackCli {
  /** Runs a command with `-f json` and parses what it prints; `server delete` prints nothing, so it gets no `-f`. */
  openstack(...args: string[]): Promise<Record<string, unknown>>;
  /** Runs a command as given and returns what it printed. */
  openstackRaw(...args: string[]): Promise<string>;
}

export function openstackCli(identityUrl: string, timeoutMs: number): OpenStackCli {
  const env = {
    ...process.env,
    OS_AUTH_URL: `${identityUrl}/v3`,
    OS_IDENTITY_API_VERSION: '3',
    OS_USERNAME: TEST_ADMIN.user,
    OS_PASSWORD: TEST_ADMIN.password,
    OS_PROJECT_NAME: TEST_ADMIN.project,
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_NAME: 'Default',
    OS_INTERFACE: 'public',
  };
  const openstackRaw = async (...args: string[]): Promise<string> => (await run('openstack', args, { env, timeout: timeoutMs })).stdout;
  return {
    openstackRaw,
    async openstack(...args) {
      if (args[0] === 'server' && args[1] === 'delete') {
        await openstackRaw(...args);
        return {};
      }
      const stdout = await openstackRaw(...args, '-f', 'json');
      return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
    },
  };
}
