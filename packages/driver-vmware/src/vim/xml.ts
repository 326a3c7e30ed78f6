import { XMLParser } from 'fast-xml-parser';

/** The XML Schema instance namespace: `xsi:type` lives here, under whatever prefix a server picks. */
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/**
 * One parsed XML element, namespace prefixes resolved away: `name` is the local name,
 * `xsiType` the local part of `xsi:type` (whatever prefix the server bound to XSI_NS), `type`
 * the plain `type` attribute a managed object reference carries.
 */
export interface XmlNode {
  name: string;
  xsiType?: string;
  type?: string;
  text: string;
  children: XmlNode[];
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

type OrderedEntry = Record<string, unknown> & { ':@'?: Record<string, string> };

function localName(qname: string): string {
  const i = qname.indexOf(':');
  return i < 0 ? qname : qname.slice(i + 1);
}

function convert(entry: OrderedEntry, scope: Map<string, string>): XmlNode | null {
  const tag = Object.keys(entry).find((k) => k !== ':@');
  if (tag === undefined || tag === '#text') return null;
  const attrs = entry[':@'] ?? {};
  let ns = scope;
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('xmlns:')) {
      if (ns === scope) ns = new Map(scope);
      ns.set(k.slice(6), v);
    }
  }
  const node: XmlNode = { name: localName(tag), text: '', children: [] };
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'type') node.type = v;
    else if (k.endsWith(':type') && ns.get(k.slice(0, -5)) === XSI_NS) node.xsiType = localName(v);
  }
  const body = entry[tag] as OrderedEntry[];
  for (const child of body) {
    if ('#text' in child) node.text += String(child['#text']);
    else {
      const c = convert(child, ns);
      if (c) node.children.push(c);
    }
  }
  if (node.children.length > 0 && node.text.trim() === '') node.text = '';
  return node;
}

/** Parses a document into its root element. */
export function parseXml(xml: string): XmlNode {
  const doc = parser.parse(xml) as OrderedEntry[];
  for (const entry of doc) {
    const node = convert(entry, new Map());
    if (node) return node;
  }
  throw new Error('XML document has no root element');
}

/** The first child named `name`, if any. */
export function child(node: XmlNode, name: string): XmlNode | undefined {
  return node.children.find((c) => c.name === name);
}

/** Every child named `name`, in document order. */
export function childrenNamed(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((c) => c.name === name);
}

/** The text of child `name`, or undefined when it is absent. */
export function childText(node: XmlNode, name: string): string | undefined {
  return child(node, name)?.text;
}

/** Escapes text for element content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** A scalar or already-encoded child list; undefined and null elements are left out. */
export type XmlContent = string | number | boolean | Xml | Xml[] | undefined | null;

/** An encoded XML fragment. Wrapping it keeps encoded XML apart from text that still needs escaping. */
export class Xml {
  constructor(readonly raw: string) {}
  toString(): string {
    return this.raw;
  }
}

function encodeContent(content: XmlContent): string {
  if (content === undefined || content === null) return '';
  if (content instanceof Xml) return content.raw;
  if (Array.isArray(content)) return content.map((c) => c.raw).join('');
  return escapeXml(String(content));
}

/**
 * One element in the vim25 namespace (the envelope binds the default namespace to `urn:vim25`).
 * Returns an empty fragment for undefined/null content so optional fields simply vanish,
 * which keeps the schema's element order the only thing an encoder has to get right.
 */
export function el(name: string, content: XmlContent, attrs: Record<string, string | undefined> = {}): Xml {
  if (content === undefined || content === null) return new Xml('');
  const a = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(v!)}"`)
    .join('');
  return new Xml(`<${name}${a}>${encodeContent(content)}</${name}>`);
}

/** An element carrying an `xsi:type`, for polymorphic fields (device specs, backings, selection specs). */
export function typedEl(name: string, xsiType: string, content: XmlContent): Xml {
  return el(name, content ?? [], { 'xsi:type': xsiType });
}

/** Concatenates fragments. */
export function xml(...parts: (Xml | undefined)[]): Xml[] {
  return parts.filter((p): p is Xml => p !== undefined && p.raw !== '');
}
