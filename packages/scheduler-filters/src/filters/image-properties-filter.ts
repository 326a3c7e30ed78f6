import type { HostFilter, HostState, RequestSpec } from '@nubo/core';
import { canonicalArchitecture, canonicalHypervisorType, canonicalVmMode } from '../image-property-names.js';
import { versionSatisfies } from '../version-predicate.js';

/**
 * Passes hosts whose `supported_instances` include the image's architecture, hypervisor type
 * and VM mode (`hw_architecture`, `img_hv_type`, `hw_vm_mode`), and whose hypervisor version
 * satisfies `img_hv_requested_version` (e.g. `>=6.0`).
 */
export class ImagePropertiesFilter implements HostFilter {
  readonly name = 'ImagePropertiesFilter';
  readonly runFilterOncePerRequest = true;
  readonly runOnRebuild = true;
  constructor(private readonly defaultArchitecture: string | null = null) {}

  hostPasses(host: HostState, spec: RequestSpec): boolean {
    const props = spec.image?.properties ?? {};
    const arch = props['hw_architecture'] ?? this.defaultArchitecture ?? undefined;
    const wanted = [canonicalArchitecture(arch), canonicalHypervisorType(props['img_hv_type']), canonicalVmMode(props['hw_vm_mode'])];
    if (!wanted.some(Boolean)) return true;
    const supported = host.supportedInstances;
    if (!supported || supported.length === 0) return false;
    const required = props['img_hv_requested_version'];
    for (const triple of supported) {
      if (!wanted.every((w) => !w || triple.includes(w))) continue;
      if (!host.hypervisorVersion || !required) return true;
      if (versionSatisfies(hypervisorVersionString(host.hypervisorVersion), required)) return true;
    }
    return false;
  }
}

/** oslo's `convert_version_to_str`: 6002000 → "6.2.0". */
export function hypervisorVersionString(version: number): string {
  const parts: number[] = [];
  let v = version;
  while (v !== 0) {
    parts.unshift(v - Math.floor(v / 1000) * 1000);
    v = Math.floor(v / 1000);
  }
  return parts.join('.');
}
