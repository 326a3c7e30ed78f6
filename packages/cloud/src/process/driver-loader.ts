import { BadRequest, FakeDriver, type HypervisorDriver, type Logger } from '@nubo/core';
import type { NuboConfig } from '../config/nubo-config.js';

/**
 * The hypervisor driver of a `nubo compute` process. Real drivers are imported only when
 * asked for, so a fake-driver host never loads libvirt's or vSphere's client code.
 */
export async function loadDriver(config: NuboConfig['compute'], logger: Logger): Promise<HypervisorDriver> {
  switch (config.driver) {
    case 'fake':
      return new FakeDriver(config.fake ?? {});
    case 'libvirt': {
      const { LibvirtDriver } = await import('@nubo/driver-libvirt');
      return new LibvirtDriver(config.libvirt ?? {});
    }
    case 'vmware': {
      const { VMwareDriver } = await import('@nubo/driver-vmware');
      if (!config.vmware) throw new BadRequest('compute.vmware (vCenter URL, credentials, datacenter…) is required for --driver vmware.');
      return new VMwareDriver({ ...(config.vmware as unknown as ConstructorParameters<typeof VMwareDriver>[0]), logger });
    }
    case 'xen': {
      const { XenDriver } = await import('@nubo/driver-xen');
      return new XenDriver((config.xen ?? {}) as ConstructorParameters<typeof XenDriver>[0]);
    }
    default:
      throw new BadRequest(`Unknown driver "${String(config.driver)}": use fake, libvirt, vmware or xen.`);
  }
}
