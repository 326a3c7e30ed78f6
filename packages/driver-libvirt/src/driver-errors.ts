/** libvirt's errors in Nubo's vocabulary, in one place. */
import { Conflict, DriverError, NotFound, NuboError } from '@nubo/core';
import { LibvirtError, LibvirtErrorCode } from './rpc/libvirt-error.js';

/**
 * NO_DOMAIN → `NotFound`, OPERATION_INVALID (wrong state) → `Conflict`, anything else →
 * retryable `DriverError` carrying libvirt's code and domain. `what` reads "pause instance X".
 */
export function toNuboError(err: unknown, what: string, ids: { instanceUuid: string; host: string | null }): NuboError {
  if (err instanceof NuboError) return err;
  if (err instanceof LibvirtError) {
    if (err.code === LibvirtErrorCode.NO_DOMAIN) return new NotFound(`Instance ${ids.instanceUuid} could not be found on host ${ids.host}.`, { instanceUuid: ids.instanceUuid });
    if (err.code === LibvirtErrorCode.OPERATION_INVALID) return new Conflict(`Cannot ${what}: ${err.message}`, { instanceUuid: ids.instanceUuid });
    return new DriverError(`libvirt failed to ${what}: ${err.message}`, true, { instanceUuid: ids.instanceUuid, code: err.code, domain: err.domain });
  }
  return new DriverError(`Failed to ${what}: ${(err as Error).message}`, true, { instanceUuid: ids.instanceUuid });
}
