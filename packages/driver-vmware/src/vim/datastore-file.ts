import { VimTransportError } from './faults.js';
import type { VimConnection } from './vim-connection.js';

/** A datastore path `[LocalDS_0] dir/file.vmdk` split into datastore name and relative path. */
export function parseDatastorePath(dsPath: string): { datastore: string; path: string } {
  const m = /^\[([^\]]+)\]\s*(.*)$/.exec(dsPath);
  if (!m) throw new TypeError(`not a datastore path: ${dsPath}`);
  return { datastore: m[1]!, path: m[2]! };
}

/** The `/folder` URL path of a datastore file, as vCenter and ESXi serve them over HTTP. */
export function datastoreFileUrl(datacenterPath: string, dsPath: string): string {
  const { datastore, path } = parseDatastorePath(dsPath);
  const q = new URLSearchParams({ dcPath: datacenterPath, dsName: datastore });
  return `/folder/${path.split('/').map(encodeURIComponent).join('/')}?${q}`;
}

/** Streams a datastore file's bytes; throws when the server does not have it. */
export async function readDatastoreFile(
  conn: VimConnection,
  datacenterPath: string,
  dsPath: string,
): Promise<AsyncIterable<Uint8Array>> {
  const res = await conn.request('GET', datastoreFileUrl(datacenterPath, dsPath));
  if (res.statusCode !== 200) {
    res.resume();
    throw new VimTransportError(`GET ${dsPath}: HTTP ${res.statusCode}`);
  }
  return res;
}

/** Writes a datastore file (creating its folder), streaming `data` to it. */
export async function writeDatastoreFile(
  conn: VimConnection,
  datacenterPath: string,
  dsPath: string,
  data: AsyncIterable<Uint8Array>,
): Promise<void> {
  const res = await conn.request('PUT', datastoreFileUrl(datacenterPath, dsPath), data);
  res.resume();
  if (res.statusCode !== 200 && res.statusCode !== 201) {
    throw new VimTransportError(`PUT ${dsPath}: HTTP ${res.statusCode}`);
  }
}

/** Whether a datastore file exists (HEAD on its `/folder` URL). */
export async function datastoreFileExists(conn: VimConnection, datacenterPath: string, dsPath: string): Promise<boolean> {
  const res = await conn.request('HEAD', datastoreFileUrl(datacenterPath, dsPath));
  res.resume();
  if (res.statusCode === 200) return true;
  if (res.statusCode === 404) return false;
  throw new VimTransportError(`HEAD ${dsPath}: HTTP ${res.statusCode}`);
}
