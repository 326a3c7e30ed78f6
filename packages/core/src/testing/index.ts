export {}
export * from './test-databases.js';
export * from './driver-conformance.js';
export * from './transport-suite.js';
