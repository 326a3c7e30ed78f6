import type { HostState } from '@nubo/core';

/** The distinct values of one metadata key across the host's aggregates (Nova's `aggregate_values_from_key`). */
export function aggregateValuesFromKey(host: HostState, key: string): Set<string> {
  const values = new Set<string>();
  for (const agg of host.aggregates) {
    const v = agg.metadata[key];
    if (v !== undefined) values.add(v);
  }
  return values;
}

/**
 * All metadata of the host's aggregates, each value split on commas and trimmed
 * (Nova's `aggregate_metadata_get_by_host`). With `key`, only aggregates carrying that key count.
 */
export function aggregateMetadataByHost(host: HostState, key?: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const agg of host.aggregates) {
    if (key !== undefined && !(key in agg.metadata)) continue;
    for (const [k, v] of Object.entries(agg.metadata)) {
      let set = out.get(k);
      if (!set) out.set(k, (set = new Set()));
      for (const part of v.split(',')) set.add(part.trim());
    }
  }
  return out;
}

/**
 * The smallest (or largest) of a set of aggregate values once converted, or `fallback` when
 * there are none or one does not convert (Nova logs and falls back in that case).
 */
export function aggregateNumber(
  host: HostState,
  key: string,
  fallback: number,
  convert: (v: string) => number,
  basedOn: 'min' | 'max' = 'min',
): number {
  const values = aggregateValuesFromKey(host, key);
  if (values.size === 0) return fallback;
  try {
    const nums = [...values].map(convert);
    return basedOn === 'min' ? Math.min(...nums) : Math.max(...nums);
  } catch {
    return fallback;
  }
}
