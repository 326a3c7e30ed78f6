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

/** How a message names a power state ("… while it is suspended"). */
export function powerName(p: PowerState): string {
  switch (p) {
    case PowerState.RUNNING:
      return 'running';
    case PowerState.SHUTDOWN:
      return 'powered off';
    case PowerState.SUSPENDED:
      return 'suspended';
    case PowerState.PAUSED:
      return 'paused';
    default:
      return 'in an unknown state';
  }
}
