import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BASE_URL = (process.env.NUBO_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672').replace(/\/[^/@]*$/, '').replace(/\/$/, '');

export async function rabbitmqctl(...args: string[]): Promise<string> {
  const { stdout } = await run('rabbitmqctl', ['-q', ...args], { timeout: 120_000 });
  return stdout;
}

/** A RabbitMQ vhost of its own for one test: queue names (`conductor`, `compute.host1`) meet nobody else's. */
export interface TestVhost {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createTestVhost(): Promise<TestVhost> {
  const name = `nubo-mn-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  // Another suite may have the broker stopped for a moment (its restart test): wait it out.
  for (let attempt = 1; ; attempt++) {
    try {
      await rabbitmqctl('add_vhost', name);
      await rabbitmqctl('set_permissions', '-p', name, 'guest', '.*', '.*', '.*');
      break;
    } catch (err) {
      if (attempt >= 30) throw err;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  return { name, url: `${BASE_URL}/${name}`, drop: async () => { await rabbitmqctl('delete_vhost', name).catch(() => undefined); } };
}

/**
 * Stops the RabbitMQ application (connections drop, durable queues and persistent messages
 * stay) for `downMs`, and always starts it again: other suites on this machine share it.
 */
export async function withBrokerStopped(downMs: number, whileDown: () => Promise<void> = async () => undefined): Promise<void> {
  await rabbitmqctl('stop_app');
  try {
    await Promise.all([whileDown(), new Promise((r) => setTimeout(r, downMs))]);
  } finally {
    await rabbitmqctl('start_app');
    await rabbitmqctl('await_startup');
  }
}
