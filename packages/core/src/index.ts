export * from './model/index.js';
export * from './ports/index.js';
export * from './errors.js';
export * from './transport/index.js';
export * from './logging/logger.js';
