export * from './builtin-network-service.js';
export * from './ipv4.js';
