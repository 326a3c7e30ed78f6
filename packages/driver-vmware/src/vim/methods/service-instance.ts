import { decodeServiceContent } from '../decode.js';
import type { ServiceContent } from '../types.js';
import type { VimConnection } from '../vim-connection.js';
import { child } from '../xml.js';

const SERVICE_INSTANCE = { type: 'ServiceInstance', value: 'ServiceInstance' };

/** `ServiceInstance.RetrieveServiceContent`: the entry points of the API. Needs no session. */
export async function retrieveServiceContent(conn: VimConnection): Promise<ServiceContent> {
  const res = await conn.invoke('RetrieveServiceContent', SERVICE_INSTANCE);
  const rv = child(res, 'returnval');
  if (!rv) throw new Error('RetrieveServiceContent returned nothing');
  return decodeServiceContent(rv);
}
