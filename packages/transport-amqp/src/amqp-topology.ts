import type { Channel } from 'amqplib';

/**
 * Nova's layout on RabbitMQ, as `rabbitmqctl list_queues` / `list_exchanges` show it:
 * - one durable topic exchange per cloud (`nubo`);
 * - a durable queue per topic (`compute`), bound with the topic as routing key, shared by
 *   every server of the topic;
 * - a durable queue per host (`compute.host1`), bound with its own name;
 * - a fanout exchange per topic (`compute_fanout`) with one exclusive, auto-deleted queue per
 *   subscriber (`compute_fanout_<uuid>`).
 * Topic and host queues are durable and casts persistent: a cast is user work and must
 * survive a broker restart. Fanout exchanges are not durable (their queues die with their
 * subscribers) but not auto-deleted either, so publishing to one never hits a missing exchange.
 */
export const AmqpNames = {
  fanoutExchange: (topic: string): string => `${topic}_fanout`,
  fanoutQueue: (topic: string, unique: string): string => `${topic}_fanout_${unique}`,
};

export async function declareTopicExchange(channel: Channel, exchange: string): Promise<void> {
  await channel.assertExchange(exchange, 'topic', { durable: true, autoDelete: false });
}

/** A durable queue bound to the cloud's exchange under its own name (topic or `topic.host`). */
export async function declareRoutedQueue(channel: Channel, exchange: string, queue: string): Promise<void> {
  await channel.assertQueue(queue, { durable: true, exclusive: false, autoDelete: false });
  await channel.bindQueue(queue, exchange, queue);
}

export async function declareFanoutExchange(channel: Channel, topic: string): Promise<string> {
  const exchange = AmqpNames.fanoutExchange(topic);
  await channel.assertExchange(exchange, 'fanout', { durable: false, autoDelete: false });
  return exchange;
}

/** This subscriber's own queue on the topic's fanout; it goes when the subscriber goes. */
export async function declareFanoutQueue(channel: Channel, topic: string, unique: string): Promise<string> {
  const exchange = await declareFanoutExchange(channel, topic);
  const queue = AmqpNames.fanoutQueue(topic, unique);
  await channel.assertQueue(queue, { durable: false, exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, exchange, '');
  return queue;
}
