import { BadRequest, type HostFilter, type HostWeigher } from '@nubo/core';
import { describe, expect, it } from 'vitest';
import { createHostSelector, filterHosts, NUBO_DEFAULT_FILTERS, resolveFilterSchedulerConfig } from '../src/index.js';
import { flavor, host, spec } from './builders.js';

const fleet = [
  host({ host: 'small', totalUsableRamMb: 4096, freeRamMb: 4096 }),
  host({ host: 'big', totalUsableRamMb: 65536, freeRamMb: 65536 }),
  host({ host: 'mid', totalUsableRamMb: 16384, freeRamMb: 16384 }),
  host({ host: 'off', totalUsableRamMb: 131072, freeRamMb: 131072, serviceDisabled: true }),
];
const names = (hs: { host: string }[]) => hs.map((h) => h.host);

describe('createHostSelector', () => {
  it('by default checks resources itself (no placement) and spreads by free RAM', () => {
    expect(NUBO_DEFAULT_FILTERS).toContain('RamFilter');
    const s = createHostSelector();
    expect(names(s.select(spec(), fleet))).toEqual(['big', 'mid', 'small']);
    expect(names(s.select(flavor(spec(), { memoryMb: 8192 }), fleet))).toEqual(['big', 'mid']);
  });
  it('stacks with a negative RAM multiplier', () => {
    const s = createHostSelector({ ramWeightMultiplier: -1 });
    expect(names(s.select(spec(), fleet))[0]).toBe('small');
  });
  it('never returns ignored hosts (reschedules)', () => {
    expect(names(createHostSelector().select(spec({ ignoreHosts: ['big'] }), fleet))).toEqual(['mid', 'small']);
  });
  it('refuses an unknown filter or weigher name up front', () => {
    expect(() => createHostSelector({ enabledFilters: ['NoSuchFilter'] })).toThrow(BadRequest);
    expect(() => createHostSelector({ weighers: ['NoSuchWeigher'] })).toThrow(BadRequest);
  });
  it('takes third-party filters and weighers by name', () => {
    const evenOnly: HostFilter = { name: 'NameLengthFilter', hostPasses: (h) => h.host.length === 3 };
    const alphabetical: HostWeigher = { name: 'Alpha', multiplier: () => 1, weigh: (h) => -h.host.charCodeAt(0) };
    const s = createHostSelector(
      { enabledFilters: ['ComputeFilter', 'NameLengthFilter'], weighers: ['Alpha'] },
      { filters: { NameLengthFilter: evenOnly }, weighers: { Alpha: () => alphabetical } },
    );
    expect(names(s.select(spec(), fleet))).toEqual(['big', 'mid']);
  });
  it('host_subset_size picks at random among the best N only', () => {
    const picks = new Set<string>();
    let i = 0;
    const rolls = [0, 0.5, 0.99];
    const s = createHostSelector({ hostSubsetSize: 2 }, {}, () => rolls[i++ % rolls.length]!);
    for (let k = 0; k < 6; k++) picks.add(s.select(spec(), fleet)[0]!.host);
    expect([...picks].sort()).toEqual(['big', 'mid']);
    // the rest still follows, best first
    expect(names(s.select(spec(), fleet)).sort()).toEqual(['big', 'mid', 'small']);
  });
  it('returns nothing when no host passes', () => {
    expect(createHostSelector().select(flavor(spec(), { memoryMb: 1 << 20 }), fleet)).toEqual([]);
  });
  it('merges a partial metrics section over the defaults', () => {
    const c = resolveFilterSchedulerConfig({ metrics: { weightSetting: ['cpu=1'] } as never });
    expect(c.metrics).toEqual({ weightSetting: ['cpu=1'], weightMultiplier: 1, weightOfUnavailable: -10000, required: true });
  });
});

describe('filterHosts', () => {
  const calls: string[] = [];
  const spy = (name: string, extra: Partial<HostFilter> = {}): HostFilter => ({
    name,
    ...extra,
    hostPasses: (h) => {
      calls.push(`${name}:${h.host}`);
      return true;
    },
  });
  it('runs once-per-request filters for the first instance of a multi-create only', () => {
    calls.length = 0;
    filterHosts([spy('Once', { runFilterOncePerRequest: true }), spy('Each')], [fleet[0]!], spec(), 1);
    expect(calls).toEqual(['Each:small']);
  });
  it('runs only rebuild-aware filters for a rebuild', () => {
    calls.length = 0;
    filterHosts([spy('Rebuild', { runOnRebuild: true }), spy('NotRebuild')], [fleet[0]!], spec({ hints: { _nova_check_type: ['rebuild'] } }));
    expect(calls).toEqual(['Rebuild:small']);
  });
  it('stops at the first filter that leaves no host', () => {
    calls.length = 0;
    const none: HostFilter = { name: 'None', hostPasses: () => false };
    expect(filterHosts([none, spy('After')], fleet, spec())).toEqual([]);
    expect(calls).toEqual([]);
  });
});
