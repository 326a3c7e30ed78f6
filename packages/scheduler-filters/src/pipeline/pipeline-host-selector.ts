import type { HostFilter, HostSelector, HostState, HostWeigher, RequestSpec } from '@nubo/core';
import { filterHosts } from './filter-hosts.js';
import { weighHosts } from './weigh-hosts.js';

/** Options of the plain (object-per-host) pipeline. */
export interface PipelineOptions {
  /** Pick at random among the best N (Nova's `host_subset_size`). */
  hostSubsetSize?: number;
  /** Shuffle the hosts tied for the best weight first (Nova's `shuffle_best_same_weighed_hosts`). */
  shuffleBestSameWeighedHosts?: boolean;
  /** Source of randomness in [0, 1); `Math.random` by default. */
  random?: () => number;
}

/**
 * Nova's filter scheduler over `HostState` objects: drop `ignoreHosts`, filter, weigh, then
 * move a random pick among the best `hostSubsetSize` to the front. Simple and faithful; for
 * large fleets prefer the `FleetHostSelector`.
 */
export class PipelineHostSelector implements HostSelector {
  private readonly random: () => number;
  constructor(
    readonly filters: readonly HostFilter[],
    readonly weighers: readonly HostWeigher[],
    private readonly options: PipelineOptions = {},
  ) {
    this.random = options.random ?? Math.random;
  }

  select(spec: RequestSpec, hosts: readonly HostState[]): HostState[] {
    const ignored = new Set(spec.ignoreHosts ?? []);
    const candidates = ignored.size ? hosts.filter((h) => !ignored.has(h.host)) : hosts;
    const passed = filterHosts(this.filters, candidates, spec);
    if (passed.length === 0) return [];
    const ordered = weighHosts(this.weighers, passed, spec);
    return pickFromBest(ordered, this.options.hostSubsetSize ?? 1, this.random, this.options.shuffleBestSameWeighedHosts ?? false);
  }
}

/** Nova's last step: optionally shuffle the tied best, then move a random one of the best N to the front. */
export function pickFromBest<H>(ordered: { host: H; weight: number }[], subsetSize: number, random: () => number, shuffleTies: boolean): H[] {
  const list = ordered.slice();
  if (shuffleTies && list.length > 1) {
    let ties = 1;
    while (ties < list.length && list[ties]!.weight === list[0]!.weight) ties++;
    for (let i = ties - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
  }
  const hosts = list.map((w) => w.host);
  const n = Math.max(1, Math.min(subsetSize, hosts.length));
  const pick = n === 1 ? 0 : Math.floor(random() * n);
  const [chosen] = hosts.splice(pick, 1);
  return [chosen!, ...hosts];
}
