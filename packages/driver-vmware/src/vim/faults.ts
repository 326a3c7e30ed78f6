import type { ManagedObjectReference } from './types.js';
import { child, childText, type XmlNode } from './xml.js';

/**
 * A vSphere `MethodFault`: a SOAP fault of a call, or the `error` of a task that failed.
 * `faultType` is the vim25 type (`InvalidPowerState`, `ManagedObjectNotFound`, …); the
 * subclasses below exist for the faults callers branch on. `detail` is the fault's XML.
 */
export class VimFault extends Error {
  constructor(
    readonly faultType: string,
    message: string,
    readonly detail?: XmlNode,
  ) {
    super(message || faultType);
    this.name = new.target.name;
  }
}

/** The session is missing or expired (the client logs in again once and retries). */
export class NotAuthenticatedFault extends VimFault {}
/** Wrong user name or password. */
export class InvalidLoginFault extends VimFault {}
/** The managed object does not exist (any more). */
export class ManagedObjectNotFoundFault extends VimFault {
  /** The reference the server could not find. */
  get obj(): ManagedObjectReference | undefined {
    const o = this.detail && child(this.detail, 'obj');
    return o ? { type: o.type ?? '', value: o.text } : undefined;
  }
}
/** The VM's power state does not allow the operation. */
export class InvalidPowerStateFault extends VimFault {
  get existingState(): string | undefined {
    return this.detail && childText(this.detail, 'existingState');
  }
}
/** The object's state does not allow the operation (`InvalidState` and its other subtypes). */
export class InvalidStateFault extends VimFault {}
/** An object of that name already exists. */
export class DuplicateNameFault extends VimFault {}
/** A datastore, file or path does not exist (`FileNotFound`, `NotFound`, `InvalidDatastore`, …). */
export class NotFoundFault extends VimFault {}
/** The server does not implement the method. */
export class MethodNotFoundFault extends VimFault {}
/** A request argument is wrong (`InvalidArgument`, `InvalidRequest`, `InvalidType`, …). */
export class InvalidArgumentFault extends VimFault {}

const FAULT_CLASSES: Record<string, typeof VimFault> = {
  NotAuthenticated: NotAuthenticatedFault,
  InvalidLogin: InvalidLoginFault,
  ManagedObjectNotFound: ManagedObjectNotFoundFault,
  InvalidPowerState: InvalidPowerStateFault,
  InvalidState: InvalidStateFault,
  TaskInProgress: InvalidStateFault,
  ToolsUnavailable: InvalidStateFault,
  DuplicateName: DuplicateNameFault,
  NotFound: NotFoundFault,
  FileNotFound: NotFoundFault,
  InvalidDatastore: NotFoundFault,
  InvalidDatastorePath: NotFoundFault,
  MethodNotFound: MethodNotFoundFault,
  InvalidArgument: InvalidArgumentFault,
  InvalidRequest: InvalidArgumentFault,
  InvalidType: InvalidArgumentFault,
  InvalidProperty: InvalidArgumentFault,
};

/** Builds the typed fault for a vim25 fault type name. */
export function makeFault(faultType: string, message: string, detail?: XmlNode): VimFault {
  const Cls = FAULT_CLASSES[faultType] ?? VimFault;
  return new Cls(faultType, message, detail);
}

/**
 * Decodes a `soapenv:Fault` element: the type comes from the detail element's `xsi:type`
 * (or its name minus the `Fault` suffix), the message from `faultstring`.
 */
export function decodeSoapFault(fault: XmlNode): VimFault {
  const faultstring = childText(fault, 'faultstring') ?? '';
  const detailWrapper = child(fault, 'detail');
  const detail = detailWrapper?.children[0];
  const faultType = detail?.xsiType ?? detail?.name.replace(/Fault$/, '') ?? 'SoapFault';
  return makeFault(faultType, faultstring.trim() || defaultMessage(faultType), detail);
}

/** Decodes a task's `LocalizedMethodFault` (`info.error`): `fault` plus `localizedMessage`. */
export function decodeLocalizedFault(error: XmlNode): VimFault {
  const fault = child(error, 'fault');
  const faultType = fault?.xsiType ?? 'MethodFault';
  const message = childText(error, 'localizedMessage')?.trim();
  return makeFault(faultType, message || defaultMessage(faultType), fault);
}

function defaultMessage(faultType: string): string {
  switch (faultType) {
    case 'NotAuthenticated':
      return 'The session is not authenticated.';
    case 'InvalidLogin':
      return 'Cannot complete login due to an incorrect user name or password.';
    default:
      return `vSphere fault ${faultType}`;
  }
}

/** The server could not be reached or answered with something that is not SOAP. */
export class VimTransportError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'VimTransportError';
  }
}
