import { decodeMoRef } from '../decode.js';
import type { ManagedObjectReference, PropertyFilterSpec } from '../types.js';
import type { VimConnection } from '../vim-connection.js';
import { child, childrenNamed, childText, el, type XmlNode } from '../xml.js';
import { encodeFilterSpec } from './property-collector.js';

/** `PropertyCollector.CreatePropertyCollector`: a private collector, so long polls do not share state. */
export async function createPropertyCollector(
  conn: VimConnection,
  propertyCollector: ManagedObjectReference,
): Promise<ManagedObjectReference> {
  const rv = child(await conn.invoke('CreatePropertyCollector', propertyCollector), 'returnval');
  if (!rv) throw new Error('CreatePropertyCollector returned no collector');
  return decodeMoRef(rv);
}

/** `PropertyCollector.DestroyPropertyCollector`. */
export async function destroyPropertyCollector(conn: VimConnection, collector: ManagedObjectReference): Promise<void> {
  await conn.invoke('DestroyPropertyCollector', collector);
}

/** `PropertyCollector.CreateFilter`: what `waitForUpdatesEx` reports changes of. */
export async function createFilter(
  conn: VimConnection,
  collector: ManagedObjectReference,
  spec: PropertyFilterSpec,
  partialUpdates: boolean,
): Promise<ManagedObjectReference> {
  const rv = child(
    await conn.invoke('CreateFilter', collector, [encodeFilterSpec('spec', spec), el('partialUpdates', partialUpdates)]),
    'returnval',
  );
  if (!rv) throw new Error('CreateFilter returned no filter');
  return decodeMoRef(rv);
}

/** `PropertyCollector.CancelWaitForUpdates`: ends a pending `waitForUpdatesEx`. */
export async function cancelWaitForUpdates(conn: VimConnection, collector: ManagedObjectReference): Promise<void> {
  await conn.invoke('CancelWaitForUpdates', collector);
}

/** One property change of an `ObjectUpdate`. */
export interface PropertyChange {
  name: string;
  op: 'add' | 'remove' | 'assign' | 'indirectRemove';
  val?: XmlNode;
}

/** An object entering, changing in or leaving a filter's view. */
export interface ObjectUpdate {
  kind: 'enter' | 'modify' | 'leave';
  obj: ManagedObjectReference;
  changeSet: PropertyChange[];
}

/** An `UpdateSet`: the version to wait from next, and what changed since the last one. */
export interface UpdateSet {
  version: string;
  truncated: boolean;
  objects: ObjectUpdate[];
}

function decodeObjectUpdate(node: XmlNode): ObjectUpdate {
  const obj = child(node, 'obj');
  return {
    kind: (childText(node, 'kind') ?? 'modify') as ObjectUpdate['kind'],
    obj: obj ? decodeMoRef(obj) : { type: '', value: '' },
    changeSet: childrenNamed(node, 'changeSet').map((c) => ({
      name: childText(c, 'name') ?? '',
      op: (childText(c, 'op') ?? 'assign') as PropertyChange['op'],
      val: child(c, 'val'),
    })),
  };
}

/**
 * `PropertyCollector.WaitForUpdatesEx`: with an empty `version`, the current state of every
 * filtered object; with the version an earlier call returned, the changes since, waiting up
 * to `maxWaitSeconds`. Returns undefined when the wait ended with nothing new.
 */
export async function waitForUpdatesEx(
  conn: VimConnection,
  collector: ManagedObjectReference,
  version: string,
  options: { maxWaitSeconds?: number } = {},
): Promise<UpdateSet | undefined> {
  const res = await conn.invoke('WaitForUpdatesEx', collector, [
    el('version', version),
    el('options', [el('maxWaitSeconds', options.maxWaitSeconds)]),
  ]);
  const rv = child(res, 'returnval');
  if (!rv) return undefined;
  return {
    version: childText(rv, 'version') ?? version,
    truncated: childText(rv, 'truncated') === 'true',
    objects: childrenNamed(rv, 'filterSet').flatMap((f) => childrenNamed(f, 'objectSet').map(decodeObjectUpdate)),
  };
}
