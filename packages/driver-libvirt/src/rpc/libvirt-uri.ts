/**
 * How a libvirt URI maps to a socket and to the name sent in CONNECT_OPEN, as libvirt's remote
 * driver does it: `qemu:///system` → `/run/libvirt/libvirt-sock`, `qemu+unix:///system?socket=P`
 * → `P`, `qemu+tcp://host[:16509]/system` → TCP; the transport, host and socket parameter are
 * stripped from the name the daemon sees.
 */
import { join } from 'node:path';
import type { SocketTarget } from './rpc-client.js';

export interface ResolvedUri {
  /** Where to connect. */
  target: SocketTarget;
  /** The URI to send in CONNECT_OPEN, e.g. `qemu:///system`. */
  name: string;
}

/** libvirtd's default TCP port (`tcp_port`). */
export const LIBVIRT_TCP_PORT = 16509;

export function resolveLibvirtUri(uri: string, env: NodeJS.ProcessEnv = process.env): ResolvedUri {
  const m = /^([a-z0-9]+)(?:\+([a-z0-9]+))?:\/\/([^/?]*)(\/[^?]*)?(?:\?(.*))?$/i.exec(uri);
  if (!m) throw new TypeError(`not a libvirt URI: ${uri}`);
  const [, driver, transportGiven, authority = '', path = '/', query = ''] = m;
  const params = new URLSearchParams(query);
  const socket = params.get('socket');
  params.delete('socket');
  params.delete('no_verify');
  params.delete('no_tty');
  const rest = params.toString();
  const name = `${driver}://${path}${rest ? `?${rest}` : ''}`;
  const transport = transportGiven ?? (authority ? 'tls' : 'unix');
  if (transport === 'unix') {
    if (socket) return { target: { path: socket }, name };
    if (path === '/session') {
      const runtime = env.XDG_RUNTIME_DIR ?? join(env.HOME ?? '/root', '.cache');
      return { target: { path: join(runtime, 'libvirt', 'libvirt-sock') }, name };
    }
    return { target: { path: '/run/libvirt/libvirt-sock' }, name };
  }
  if (transport === 'tcp') {
    const hostPort = authority.replace(/^[^@]*@/, '');
    const hm = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostPort);
    if (!hm) throw new TypeError(`libvirt URI ${uri} names no host`);
    return { target: { host: hm[1]!.replace(/^\[|\]$/g, ''), port: hm[2] ? Number(hm[2]) : LIBVIRT_TCP_PORT }, name };
  }
  throw new TypeError(`libvirt transport '${transport}' is not supported by Nubo (use unix or tcp): ${uri}`);
}
