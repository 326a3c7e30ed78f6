import type { HostFilter, HostState, RequestSpec } from '@nubo/core';

/**
 * Keeps isolated images on isolated hosts. With `restrict` (Nova's
 * `restrict_isolated_hosts_to_isolated_images`, default true) isolated hosts also take only
 * isolated images.
 */
export class IsolatedHostsFilter implements HostFilter {
  readonly name = 'IsolatedHostsFilter';
  readonly runFilterOncePerRequest = true;
  readonly runOnRebuild = true;
  private readonly hosts: Set<string>;
  private readonly images: Set<string>;
  constructor(isolatedHosts: string[] = [], isolatedImages: string[] = [], private readonly restrict = true) {
    this.hosts = new Set(isolatedHosts);
    this.images = new Set(isolatedImages);
  }

  hostPasses(host: HostState, spec: RequestSpec): boolean {
    const hostIsolated = this.hosts.has(host.host);
    if (this.images.size === 0) return !this.restrict || !hostIsolated;
    const imageId = spec.image?.id ?? null;
    const imageIsolated = imageId !== null && this.images.has(imageId);
    return this.restrict ? imageIsolated === hostIsolated : !imageIsolated || hostIsolated;
  }
}
