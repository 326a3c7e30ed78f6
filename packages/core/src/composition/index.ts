export * from './tokens.js';
export * from './cloud-options.js';
export * from './core-modules.js';
export * from './cloud.js';
export * from './admin-tokens.js';
export * from './admin-api-module.js';
