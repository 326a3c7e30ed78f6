export { VMwareDriver, type VMwareDriverOptions } from './vmware-driver.js';
export type { VSphereLocation } from './vsphere-inventory.js';
export { toNovaPowerState } from './power-state.js';
export { INSTANCE_UUID_KEY } from './vm-config-spec.js';
export * as vim from './vim/index.js';
