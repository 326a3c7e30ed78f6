export * from './db-quota-engine.js';
export * from './quota-usage.js';
