import { BadRequest } from '@nubo/core';

/** An address as a big integer and its width in bits (32 for IPv4, 128 for IPv6). */
function parseAddress(text: string): { value: bigint; bits: number } {
  const s = text.trim();
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) {
    const octets = s.split('.').map(Number);
    if (octets.some((o) => o > 255)) throw new BadRequest(`invalid IPv4 address '${text}'`);
    return { value: octets.reduce((acc, o) => (acc << 8n) | BigInt(o), 0n), bits: 32 };
  }
  if (s.includes(':')) {
    const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const fill = tail === undefined ? 0 : 8 - h.length - t.length;
    const groups = [...h, ...Array<string>(Math.max(fill, 0)).fill('0'), ...t];
    if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) throw new BadRequest(`invalid IPv6 address '${text}'`);
    return { value: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n), bits: 128 };
  }
  throw new BadRequest(`invalid IP address '${text}'`);
}

/** Whether `address` lies in `network` (`10.1.0.1/16`; no prefix means a single address). */
export function ipInNetwork(address: string, network: string): boolean {
  const [base, prefixText] = network.split('/');
  const net = parseAddress(base ?? '');
  const prefix = prefixText === undefined ? net.bits : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > net.bits) throw new BadRequest(`invalid network '${network}'`);
  const addr = parseAddress(address);
  if (addr.bits !== net.bits) return false;
  const shift = BigInt(net.bits - prefix);
  return addr.value >> shift === net.value >> shift;
}
