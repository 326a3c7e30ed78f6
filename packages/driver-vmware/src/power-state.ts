import { PowerState } from '@nubo/core';
import type { VirtualMachinePowerState } from './vim/types.js';

/** vSphere's `runtime.powerState` as Nova's power state (nova/virt/vmwareapi/constants.py). */
export function toNovaPowerState(state: string | undefined): PowerState {
  switch (state as VirtualMachinePowerState | undefined) {
    case 'poweredOn':
      return PowerState.RUNNING;
    case 'poweredOff':
      return PowerState.SHUTDOWN;
    case 'suspended':
      return PowerState.SUSPENDED;
    default:
      return PowerState.NOSTATE;
  }
}
