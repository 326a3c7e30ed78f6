import { decodeMoRef } from '../decode.js';
import type { ManagedObjectReference } from '../types.js';
import { moRef, type VimConnection } from '../vim-connection.js';
import { child, el } from '../xml.js';

/** `ViewManager.CreateContainerView`: a session-scoped view of the objects of `types` below `container`. */
export async function createContainerView(
  conn: VimConnection,
  viewManager: ManagedObjectReference,
  container: ManagedObjectReference,
  types: string[],
  recursive: boolean,
): Promise<ManagedObjectReference> {
  const res = await conn.invoke('CreateContainerView', viewManager, [
    moRef('container', container),
    ...types.map((t) => el('type', t)),
    el('recursive', recursive),
  ]);
  const rv = child(res, 'returnval');
  if (!rv) throw new Error('CreateContainerView returned no view');
  return decodeMoRef(rv);
}

/** `View.DestroyView`: releases a view created by `createContainerView`. */
export async function destroyView(conn: VimConnection, view: ManagedObjectReference): Promise<void> {
  await conn.invoke('DestroyView', view);
}
