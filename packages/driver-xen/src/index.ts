export * from './console-stream.js';
export * from './pv-boot.js';
export * from './rpc/procedures.js';
export * from './xen-domain-xml.js';
export * from './xen-driver.js';
export * from './xen-driver-options.js';
export * from './xen-host-resources.js';
export * from './xen-storage-pool.js';
