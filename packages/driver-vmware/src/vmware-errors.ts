import { Conflict, DriverError, NotFound, NuboError } from '@nubo/core';
import {
  InvalidLoginFault,
  InvalidPowerStateFault,
  InvalidStateFault,
  ManagedObjectNotFoundFault,
  NotFoundFault,
  VimFault,
  VimTransportError,
} from './vim/faults.js';

/**
 * Translates what the vim25 layer throws into Nubo's typed errors at the driver's boundary:
 * a VM that vanished is `NotFound`, a power state that does not allow the call is `Conflict`,
 * everything else is a `DriverError` (retryable when the endpoint could not be reached).
 */
export function toNuboError(err: unknown, what: string): Error {
  if (err instanceof NuboError) return err;
  if (err instanceof ManagedObjectNotFoundFault) return new NotFound(`${what}: the virtual machine no longer exists.`);
  if (err instanceof InvalidPowerStateFault || err instanceof InvalidStateFault) {
    return new Conflict(`${what}: ${err.message}`, { faultType: err.faultType });
  }
  if (err instanceof InvalidLoginFault) {
    return new DriverError(`${what}: vSphere refused the credentials (${err.message})`, false, { faultType: err.faultType });
  }
  if (err instanceof NotFoundFault) {
    return new DriverError(`${what}: ${err.message}`, false, { faultType: err.faultType });
  }
  if (err instanceof VimFault) return new DriverError(`${what}: ${err.message}`, true, { faultType: err.faultType });
  if (err instanceof VimTransportError) return new DriverError(`${what}: ${err.message}`, true);
  const e = err instanceof Error ? err : new Error(String(err));
  return new DriverError(`${what}: ${e.message}`, true);
}
