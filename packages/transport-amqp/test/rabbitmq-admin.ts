import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import amqp from 'amqplib';

const run = promisify(execFile);

/** The vhost of this package's tests (made by scripts/setup/rabbitmq.sh): nobody else's queues. */
export const TEST_VHOST = 'nubo-test-transport';
const BASE_URL = process.env.NUBO_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const TEST_AMQP_URL = `${BASE_URL.replace(/\/[^/@]*$/, '').replace(/\/$/, '')}/${TEST_VHOST}`;

export async function rabbitmqctl(...args: string[]): Promise<string> {
  const { stdout } = await run('rabbitmqctl', ['-q', ...args], { timeout: 60_000 });
  return stdout;
}

export interface QueueRow { name: string; durable: boolean; exclusive: boolean; autoDelete: boolean }

export async function listQueues(): Promise<QueueRow[]> {
  const out = await rabbitmqctl('list_queues', '-p', TEST_VHOST, '--no-table-headers', 'name', 'durable', 'exclusive', 'auto_delete');
  return out.split('\n').filter(Boolean).map((line) => {
    const [name, durable, exclusive, autoDelete] = line.split('\t');
    return { name: name!, durable: durable === 'true', exclusive: exclusive === 'true', autoDelete: autoDelete === 'true' };
  });
}

export async function listExchanges(): Promise<Array<{ name: string; type: string; durable: boolean }>> {
  const out = await rabbitmqctl('list_exchanges', '-p', TEST_VHOST, '--no-table-headers', 'name', 'type', 'durable');
  return out.split('\n').filter(Boolean).map((line) => {
    const [name, type, durable] = line.split('\t');
    return { name: name!, type: type!, durable: durable === 'true' };
  });
}

/**
 * Deletes the shared queues of the test vhost: what this run (and any interrupted one) left.
 * Exchanges stay: the topic exchanges are reused, the fanout ones are not durable.
 */
export async function purgeVhost(): Promise<void> {
  const queues = await listQueues();
  const conn = await amqp.connect(TEST_AMQP_URL);
  try {
    const ch = await conn.createChannel();
    for (const q of queues) if (!q.exclusive) await ch.deleteQueue(q.name);
  } finally {
    await conn.close();
  }
}

/** Whether a queue exists, asked over AMQP (passive declare): quicker than rabbitmqctl. */
export async function queueExists(name: string): Promise<boolean> {
  const conn = await amqp.connect(TEST_AMQP_URL);
  try {
    conn.on('error', () => undefined);
    const ch = await conn.createChannel();
    ch.on('error', () => undefined);
    return await ch.checkQueue(name).then(() => true, () => false);
  } finally {
    await conn.close().catch(() => undefined);
  }
}

/**
 * Stops the RabbitMQ application (connections drop, durable state stays), runs `whileDown`,
 * and starts it again whatever happens: other suites on this machine share the broker.
 */
export async function withBrokerStopped(whileDown: () => Promise<void>): Promise<void> {
  await rabbitmqctl('stop_app');
  try {
    await whileDown();
  } finally {
    await rabbitmqctl('start_app');
  }
}
