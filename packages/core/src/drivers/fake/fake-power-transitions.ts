import { Conflict } from '../../errors.js';
import { POWER_STATE_NAMES, PowerState } from '../../model/instance-state.js';
import type { LifecycleTransition } from '../../ports/hypervisor-driver.js';

/** The power operations of the fake, with the power states each may start from. */
export type FakePowerOperation = 'powerOff' | 'powerOn' | 'pause' | 'unpause' | 'suspend' | 'resume' | 'softReboot' | 'hardReboot';

const { RUNNING, PAUSED, SHUTDOWN, CRASHED, SUSPENDED, NOSTATE } = PowerState;

interface Rule {
  from: readonly PowerState[];
  to: PowerState;
  /** States from which the operation succeeds without changing anything (idempotent). */
  noop?: readonly PowerState[];
  verb: string;
}

/**
 * The transition table. Powering off a guest that is already off, or on a guest that
 * already runs, is a no-op rather than a conflict: power-state sync stops guests it finds
 * running against the database, and a real hypervisor tolerates that too. A hard reboot
 * starts a guest from any state (Nova allows it from STOPPED, PAUSED, SUSPENDED, ERROR).
 */
const RULES: Record<FakePowerOperation, Rule> = {
  powerOff: { from: [RUNNING, PAUSED, SUSPENDED, CRASHED, NOSTATE], to: SHUTDOWN, noop: [SHUTDOWN], verb: 'power off' },
  powerOn: { from: [SHUTDOWN, CRASHED, NOSTATE], to: RUNNING, noop: [RUNNING], verb: 'power on' },
  pause: { from: [RUNNING], to: PAUSED, verb: 'pause' },
  unpause: { from: [PAUSED], to: RUNNING, verb: 'unpause' },
  suspend: { from: [RUNNING], to: SUSPENDED, verb: 'suspend' },
  resume: { from: [SUSPENDED], to: RUNNING, verb: 'resume' },
  softReboot: { from: [RUNNING], to: RUNNING, verb: 'soft reboot' },
  hardReboot: { from: [RUNNING, PAUSED, SUSPENDED, SHUTDOWN, CRASHED, NOSTATE], to: RUNNING, verb: 'hard reboot' },
};

/** How a message names the operation, e.g. 'soft reboot'. */
export function powerOperationVerb(op: FakePowerOperation): string {
  return RULES[op].verb;
}

/**
 * The power state `op` leaves a guest in, starting from `from`; throws `Conflict` with
 * Nova's wording when the operation cannot start from there.
 */
export function nextPowerState(instanceUuid: string, op: FakePowerOperation, from: PowerState): PowerState {
  const rule = RULES[op];
  if (rule.noop?.includes(from)) return from;
  if (rule.from.includes(from)) return rule.to;
  throw powerStateConflict(instanceUuid, rule.verb, from);
}

/** The `Conflict` for an operation that cannot start from a guest's power state, in Nova's wording. */
export function powerStateConflict(instanceUuid: string, verb: string, state: PowerState): Conflict {
  return new Conflict(
    `Instance ${instanceUuid} in power_state ${POWER_STATE_NAMES[state]}. Cannot ${verb} while the instance is in this state.`,
    { instanceUuid, powerState: state },
  );
}

/** The lifecycle event a hypervisor reports for a change of power state, or null if nothing changed. */
export function lifecycleTransition(from: PowerState, to: PowerState): LifecycleTransition | null {
  if (from === to) return null;
  switch (to) {
    case RUNNING:
      return from === PAUSED || from === SUSPENDED ? 'resumed' : 'started';
    case PAUSED:
      return 'paused';
    case SUSPENDED:
      return 'suspended';
    default:
      return 'stopped';
  }
}
