export * from './memory-transport.js';
export * from './memory-broker.js';
export * from './rpc-envelope.js';
export * from './rpc-dispatcher.js';
export * from './rpc-target.js';
export * from './call-across-reconnects.js';
export * from './call-batcher.js';
