/** libvirt domain states and events in Nova's vocabulary. */
import { Conflict, POWER_STATE_NAMES, PowerState, type LifecycleTransition } from '@nubo/core';
import { DomainState } from './rpc/procedures/domain.js';
import { DomainEventType, StoppedDetail } from './rpc/procedures/events.js';

/**
 * Nova's `LIBVIRT_POWER_STATE`, plus one rule of Nubo's: a shut-off domain with a managed-save
 * image is SUSPENDED (that is how `suspend` leaves it, as Nova's libvirt driver does).
 */
export function powerStateOf(state: number, hasManagedSave: boolean): PowerState {
  switch (state) {
    case DomainState.RUNNING:
    case DomainState.BLOCKED:
      return PowerState.RUNNING;
    case DomainState.PAUSED:
      return PowerState.PAUSED;
    case DomainState.SHUTDOWN:
      return PowerState.SHUTDOWN;
    case DomainState.SHUTOFF:
      return hasManagedSave ? PowerState.SUSPENDED : PowerState.SHUTDOWN;
    case DomainState.CRASHED:
      return PowerState.CRASHED;
    case DomainState.PMSUSPENDED:
      return PowerState.SUSPENDED;
    default:
      return PowerState.NOSTATE;
  }
}

/** The lifecycle transition a libvirt event means (Nova's `_event_lifecycle_callback`), or null. */
export function transitionOf(event: number, detail: number): LifecycleTransition | null {
  switch (event) {
    case DomainEventType.STARTED:
      return 'started';
    case DomainEventType.STOPPED:
      return detail === StoppedDetail.SAVED ? 'suspended' : 'stopped';
    case DomainEventType.CRASHED:
      return 'stopped';
    case DomainEventType.SUSPENDED:
      return 'paused';
    case DomainEventType.RESUMED:
      return 'resumed';
    case DomainEventType.PMSUSPENDED:
      return 'suspended';
    default:
      return null;
  }
}

/** The `Conflict` for an operation that cannot start from a guest's power state, in Nova's wording. */
export function powerStateConflict(instanceUuid: string, verb: string, state: PowerState): Conflict {
  return new Conflict(
    `Instance ${instanceUuid} in power_state ${POWER_STATE_NAMES[state]}. Cannot ${verb} while the instance is in this state.`,
    { instanceUuid, powerState: state },
  );
}
