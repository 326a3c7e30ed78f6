export * from './database.js';
export * from './database-options.js';
export * from './schemas/index.js';
export * from './async-mutex.js';
export * from './unique-violation.js';
