// Helpers for tests that drive a real cloud through the OpenStack APIs (not part of the runtime API).
export * from './all-in-one-cloud.js';
export * from './openstack-cli.js';
export * from './driver-cloud.js';
