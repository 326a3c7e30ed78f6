import type { HostFilter, HostSelector, HostState, HostWeigher, RequestSpec } from '@nubo/core';
import { pickFromBest } from '../pipeline/pipeline-host-selector.js';
import { Decision } from './decision.js';
import { isPureBuiltin } from './pure-builtins.js';
import { FleetState } from './fleet-state.js';
import { topWeighed } from './top-weighed.js';
import { WeigherMultipliers } from './weigher-multipliers.js';

/** Options of the fleet selector. */
export interface FleetSelectorOptions {
  /** Pick at random among the best N (Nova's `host_subset_size`). */
  hostSubsetSize?: number;
  /** Shuffle the hosts tied for the best weight first. */
  shuffleBestSameWeighedHosts?: boolean;
  /** How many hosts `select` returns (chosen + alternates); all passing hosts by default. */
  maxResults?: number;
  random?: () => number;
  /** How many request shapes keep an incrementally updated decision (0 turns it off). Default 4. */
  cachedShapes?: number;
}

/**
 * The same decisions as Nova's filter scheduler (and `PipelineHostSelector`), over a
 * {@link FleetState}: numeric filters and weighers run as loops over typed arrays, filters
 * that cannot affect a request are skipped, weighers that weigh every host alike are skipped
 * (Nova normalises them to 0), per-host multipliers are cached until the host changes, and
 * only the best few hosts are ranked instead of sorting the fleet.
 *
 * Requests of the same shape (same flavor, image, hints… — a burst of identical boots) reuse
 * the previous outcome: only hosts written since (claims, reports) are re-filtered and
 * re-weighed, and everyone is re-normalised only when a weigher's bounds moved. This applies
 * when every filter and weigher is one of Nubo's own (pure functions of request and host) and
 * the request has no server group.
 *
 * Ties are broken by fleet slot (arrival order), as Nova's stable sort keeps its host order.
 */
export class FleetHostSelector implements HostSelector {
  readonly fleet: FleetState;
  private readonly random: () => number;
  private readonly multipliers: WeigherMultipliers;
  private readonly cache = new Map<string, Decision>();
  private readonly scratchDecision: Decision;
  private readonly cacheable: boolean;
  private cand = new Int32Array(0);

  constructor(
    readonly filters: readonly HostFilter[],
    readonly weighers: readonly HostWeigher[],
    private readonly options: FleetSelectorOptions = {},
    fleet?: FleetState,
  ) {
    this.fleet = fleet ?? new FleetState();
    this.random = options.random ?? Math.random;
    this.multipliers = new WeigherMultipliers(this.fleet, weighers);
    this.scratchDecision = this.newDecision();
    this.cacheable = (options.cachedShapes ?? 4) > 0 && filters.every(isPureBuiltin) && weighers.every(isPureBuiltin);
  }

  /**
   * `HostSelector`: brings the fleet in line with `hosts` — objects the caller may change in
   * place; a host is re-read when its numbers, aggregates or instance count changed — and
   * selects from it. Feeding the fleet directly (`fleet.upsert`, `selectAndClaim`) is faster.
   */
  select(spec: RequestSpec, hosts: readonly HostState[]): HostState[] {
    this.sync(hosts);
    return this.selectFromFleet(spec, this.options.maxResults);
  }

  /** Filters and weighs the cached fleet; returns up to `limit` hosts, chosen first. */
  selectFromFleet(spec: RequestSpec, limit = this.options.maxResults ?? Infinity): HostState[] {
    const d = this.decide(spec);
    if (d.count === 0) return [];
    const subset = Math.max(1, this.options.hostSubsetSize ?? 1);
    const shuffle = this.options.shuffleBestSameWeighedHosts ?? false;
    const want = shuffle ? d.count : Math.min(d.count, Math.max(limit, subset));
    const top = topWeighed(d.totals, d.member, this.fleet.slotCount, d.count, want);
    const ordered = top.map((s) => ({ host: this.fleet.hostAt(s)!, weight: d.count > 1 ? d.totals[s]! : 0 }));
    const picked = pickFromBest(ordered, subset, this.random, shuffle);
    return Number.isFinite(limit) ? picked.slice(0, limit) : picked;
  }

  /** Selects and claims the chosen host in one step, so the next request sees the room taken. */
  selectAndClaim(spec: RequestSpec, limit?: number): HostState[] {
    const hosts = this.selectFromFleet(spec, limit);
    if (hosts.length) hosts[0] = this.fleet.claim(hosts[0]!.host, spec);
    return hosts;
  }

  private decide(spec: RequestSpec): Decision {
    if (!this.cacheable || spec.instanceGroup) return this.scratchDecision.reset(spec).build();
    const key = shapeKey(spec);
    let d = this.cache.get(key);
    if (d) {
      this.cache.delete(key); // re-insert: most recently used last
      if (!d.update()) d.reset(spec).build();
    } else {
      if (this.cache.size >= (this.options.cachedShapes ?? 4)) this.cache.delete(this.cache.keys().next().value!);
      d = this.newDecision().reset(spec);
      d.build();
    }
    this.cache.set(key, d);
    return d;
  }

  private newDecision(): Decision {
    return new Decision(this.fleet, this.filters, this.weighers, this.multipliers, () => {
      if (this.cand.length < this.fleet.slotCount) this.cand = new Int32Array(this.fleet.slotCount * 2);
      return this.cand;
    });
  }

  private sync(hosts: readonly HostState[]): void {
    const names = new Set<string>();
    for (const h of hosts) {
      names.add(h.host);
      this.fleet.sync(h);
    }
    if (names.size !== this.fleet.size) {
      for (const h of this.fleet.hosts()) if (!names.has(h.host)) this.fleet.remove(h.host);
    }
  }
}

/** Everything of a request that Nubo's filters and weighers read, except the instance's UUID. */
function shapeKey(spec: RequestSpec): string {
  return JSON.stringify([
    spec.projectId,
    spec.userId,
    spec.flavor,
    spec.image,
    spec.availabilityZone,
    spec.schedulerHints,
    spec.ignoreHosts,
    spec.pciRequests ?? null,
    spec.requestedDestination ?? null,
  ]);
}
