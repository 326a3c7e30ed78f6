import { afterAll, beforeAll } from 'vitest';
import { describeTransportBehaviour } from '@nubo/core/testing';
import { AmqpTransport } from '../src/index.js';
import { purgeVhost, TEST_AMQP_URL } from './rabbitmq-admin.js';

beforeAll(purgeVhost);
afterAll(purgeVhost);

describeTransportBehaviour('amqp (RabbitMQ, direct reply-to)', () => ({
  connect: async () => new AmqpTransport({ url: TEST_AMQP_URL, exchange: 'nubo_suite', connectionName: 'nubo-suite' }),
}));
