import type { InstanceSpec, NetworkInfo } from '@nubo/core';
import type { OptionValue } from './vim/types.js';

function prefixLength(cidr: string): number {
  return Number(cidr.split('/')[1] ?? 32);
}

/**
 * cloud-init's VMware datasource (`guestinfo.*` extraConfig, read through VMware Tools): the
 * instance id and host name, the SSH key, static addresses for each NIC matched by MAC, and
 * the user data, all base64-encoded. A guest with cloud-init configures itself from these
 * without a config drive or a metadata server.
 */
export function guestinfoExtraConfig(spec: InstanceSpec, network: NetworkInfo[]): OptionValue[] {
  const ethernets: Record<string, unknown> = {};
  network.forEach((n, i) => {
    ethernets[`nic${i}`] = {
      match: { macaddress: n.macAddress },
      addresses: [`${n.address}/${prefixLength(n.cidr)}`],
      ...(i === 0 && n.gateway ? { gateway4: n.gateway } : {}),
    };
  });
  const metadata = {
    'instance-id': spec.uuid,
    'local-hostname': spec.name.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 63) || spec.uuid,
    ...(spec.keyData ? { 'public-keys': [spec.keyData] } : {}),
    ...(network.length > 0 ? { network: { version: 2, ethernets } } : {}),
  };
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  const out: OptionValue[] = [
    { key: 'guestinfo.metadata', value: b64(JSON.stringify(metadata)) },
    { key: 'guestinfo.metadata.encoding', value: 'base64' },
  ];
  if (spec.userData) {
    // Nova keeps user data base64-encoded, as the API received it; encode it if it is not.
    const isBase64 = /^[A-Za-z0-9+/\r\n]*={0,2}\s*$/.test(spec.userData);
    const value = isBase64 ? spec.userData.replace(/\s/g, '') : b64(spec.userData);
    out.push({ key: 'guestinfo.userdata', value }, { key: 'guestinfo.userdata.encoding', value: 'base64' });
  }
  return out;
}
