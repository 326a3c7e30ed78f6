export * from './amqp-transport.js';
export * from './amqp-transport-options.js';
export { AmqpNames } from './amqp-topology.js';
