import { decodeObjectContent } from '../decode.js';
import type {
  ManagedObjectReference,
  ObjectContent,
  ObjectSpec,
  PropertyFilterSpec,
  PropertySpec,
  SelectionSpec,
} from '../types.js';
import { moRef, type VimConnection } from '../vim-connection.js';
import { child, childrenNamed, childText, el, typedEl, type Xml, type XmlNode } from '../xml.js';

function encodeSelectionSpec(name: string, s: SelectionSpec): Xml {
  if (s.kind === 'SelectionSpec') return typedEl(name, 'SelectionSpec', [el('name', s.name)]);
  return typedEl(name, 'TraversalSpec', [
    el('name', s.name),
    el('type', s.type),
    el('path', s.path),
    el('skip', s.skip ?? false),
    ...(s.selectSet ?? []).map((c) => encodeSelectionSpec('selectSet', c)),
  ]);
}

function encodePropertySpec(p: PropertySpec): Xml {
  return el('propSet', [el('type', p.type), el('all', p.all), ...(p.pathSet ?? []).map((x) => el('pathSet', x))]);
}

function encodeObjectSpec(o: ObjectSpec): Xml {
  return el('objectSet', [
    moRef('obj', o.obj),
    el('skip', o.skip),
    ...(o.selectSet ?? []).map((s) => encodeSelectionSpec('selectSet', s)),
  ]);
}

/** Encodes a `PropertyFilterSpec` as the element `name` (`specSet` or `spec`). */
export function encodeFilterSpec(name: string, spec: PropertyFilterSpec): Xml {
  return el(name, [...spec.propSet.map(encodePropertySpec), ...spec.objectSet.map(encodeObjectSpec)]);
}

/** One page of a `RetrieveResult`: objects plus the token for the next page, if any. */
export interface RetrieveResult {
  objects: ObjectContent[];
  token?: string;
}

function decodeRetrieveResult(res: XmlNode): RetrieveResult {
  const rv = child(res, 'returnval');
  if (!rv) return { objects: [] };
  return { objects: childrenNamed(rv, 'objects').map(decodeObjectContent), token: childText(rv, 'token') };
}

/** `PropertyCollector.RetrievePropertiesEx`: the first page of the objects and properties of `specs`. */
export async function retrievePropertiesEx(
  conn: VimConnection,
  propertyCollector: ManagedObjectReference,
  specs: PropertyFilterSpec[],
  options: { maxObjects?: number } = {},
): Promise<RetrieveResult> {
  const res = await conn.invoke('RetrievePropertiesEx', propertyCollector, [
    ...specs.map((s) => encodeFilterSpec('specSet', s)),
    el('options', [el('maxObjects', options.maxObjects)]),
  ]);
  return decodeRetrieveResult(res);
}

/** `PropertyCollector.ContinueRetrievePropertiesEx`: the next page after `token`. */
export async function continueRetrievePropertiesEx(
  conn: VimConnection,
  propertyCollector: ManagedObjectReference,
  token: string,
): Promise<RetrieveResult> {
  const res = await conn.invoke('ContinueRetrievePropertiesEx', propertyCollector, [el('token', token)]);
  return decodeRetrieveResult(res);
}

/** Every object of `specs`, following continuation tokens to the last page. */
export async function retrieveAll(
  conn: VimConnection,
  propertyCollector: ManagedObjectReference,
  specs: PropertyFilterSpec[],
): Promise<ObjectContent[]> {
  let page = await retrievePropertiesEx(conn, propertyCollector, specs);
  const out = [...page.objects];
  while (page.token) {
    page = await continueRetrievePropertiesEx(conn, propertyCollector, page.token);
    out.push(...page.objects);
  }
  return out;
}

/** The properties `paths` of the single object `obj`, or undefined when it does not exist. */
export async function retrieveOne(
  conn: VimConnection,
  propertyCollector: ManagedObjectReference,
  obj: ManagedObjectReference,
  paths: string[],
): Promise<ObjectContent | undefined> {
  const page = await retrievePropertiesEx(conn, propertyCollector, [
    { propSet: [{ type: obj.type, pathSet: paths }], objectSet: [{ obj }] },
  ]);
  return page.objects[0];
}
