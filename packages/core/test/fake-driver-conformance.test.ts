import { describeDriverConformance } from '@nubo/core/testing';
import { FakeDriver, type FakeDriverOptions } from '../src/drivers/fake/index.js';

function fakeOn(host: string, options: FakeDriverOptions = {}) {
  return async () => {
    const driver = new FakeDriver(options);
    await driver.init(host);
    return driver;
  };
}

describeDriverConformance('fake', { createDriver: fakeOn('compute-1'), lifecycleEvents: true });

describeDriverConformance('fake without optional features', {
  createDriver: fakeOn('compute-2', {
    capabilities: {
      supportsPause: false, supportsSuspend: false, supportsSnapshot: false, supportsResize: false,
      supportsSoftReboot: false, supportsConsole: false, supportsVolumeAttach: false, supportsRebuild: false,
    },
  }),
  lifecycleEvents: true,
});

describeDriverConformance('fake with slow operations', {
  createDriver: fakeOn('compute-3', { delaysMs: { spawn: 5, powerOff: 2, reboot: 2, snapshot: 2 } }),
});
