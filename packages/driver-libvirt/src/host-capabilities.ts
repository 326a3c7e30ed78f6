/** The parts of libvirt's capabilities XML that a compute node reports. */

export interface HostCapabilities {
  cpu: { arch: string; model: string | null; vendor: string | null; topology: { sockets: number; cores: number; threads: number } | null; features: string[] };
  /** `[arch, domain type, 'hvm']` for every guest architecture and domain type libvirt offers. */
  supportedInstances: [string, string, string][];
}

const attr = (tag: string, name: string): string | null => new RegExp(`\\s${name}=['"]([^'"]*)['"]`).exec(tag)?.[1] ?? null;

export function parseCapabilities(xml: string): HostCapabilities {
  const hostCpu = /<host>[\s\S]*?<cpu>([\s\S]*?)<\/cpu>/.exec(xml)?.[1] ?? '';
  const topo = /<topology\s[^>]*>/.exec(hostCpu)?.[0];
  const cpu: HostCapabilities['cpu'] = {
    arch: /<arch>([^<]+)<\/arch>/.exec(hostCpu)?.[1] ?? 'unknown',
    model: /<model>([^<]+)<\/model>/.exec(hostCpu)?.[1] ?? null,
    vendor: /<vendor>([^<]+)<\/vendor>/.exec(hostCpu)?.[1] ?? null,
    topology: topo ? { sockets: Number(attr(topo, 'sockets')), cores: Number(attr(topo, 'cores')), threads: Number(attr(topo, 'threads')) } : null,
    features: [...hostCpu.matchAll(/<feature\s[^>]*name=['"]([^'"]+)['"]/g)].map((m) => m[1]!),
  };
  const supportedInstances: [string, string, string][] = [];
  for (const g of xml.matchAll(/<guest>([\s\S]*?)<\/guest>/g)) {
    const body = g[1]!;
    const osType = /<os_type>([^<]+)<\/os_type>/.exec(body)?.[1];
    const arch = /<arch\s+name=['"]([^'"]+)['"]/.exec(body)?.[1];
    if (!osType || !arch) continue;
    for (const d of body.matchAll(/<domain\s+type=['"]([^'"]+)['"]/g)) {
      const triple: [string, string, string] = [arch, d[1]!, osType];
      if (!supportedInstances.some((t) => t.join() === triple.join())) supportedInstances.push(triple);
    }
  }
  return { cpu, supportedInstances };
}
