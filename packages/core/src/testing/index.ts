export {}
export * from './test-databases.js';
