import { describe, expect, it } from 'vitest';
import { replayWhatIf } from '../src/index.js';

const fleet = [{ count: 4, vcpus: 8, memoryMb: 16384, localGb: 200, ramAllocationRatio: 1.0 }];

describe('what-if replay', () => {
  it('spreads by default: every host gets its share', async () => {
    const r = await replayWhatIf({ fleet, requests: [{ flavor: 'm1.small', count: 8 }] });
    expect(r.placed).toBe(8);
    expect(r.hostsUsed).toBe(4);
    expect(r.instancesPerHost).toMatchObject({ min: 2, max: 2, stddev: 0 });
  });

  it('stacks with a negative RAM multiplier, filling one host before the next', async () => {
    const r = await replayWhatIf({ fleet, config: { ramWeightMultiplier: -1 }, requests: [{ flavor: 'm1.small', count: 8 }] });
    expect(r.hostsUsed).toBe(1);
    expect(r.busiest[0]).toMatchObject({ instances: 8, ramUsedMb: 16384 });
  });

  it('counts the requests that find no host once the fleet is full', async () => {
    const r = await replayWhatIf({ fleet, requests: [{ flavor: 'm1.xlarge', count: 6 }] });
    expect([r.placed, r.noValidHost]).toEqual([4, 2]);
    expect(r.ramUtilisation).toMatchObject({ min: 1, max: 1 });
  });

  it('keeps an anti-affinity group on distinct hosts, and refuses the member with nowhere to go', async () => {
    const r = await replayWhatIf({ fleet, config: { ramWeightMultiplier: -1 }, requests: [{ flavor: 'm1.tiny', count: 5, groupPolicy: 'anti-affinity' }] });
    expect([r.placed, r.noValidHost, r.hostsUsed]).toEqual([4, 1, 4]);
  });

  it('honours availability zones from aggregate metadata', async () => {
    const r = await replayWhatIf({
      fleet: [...fleet, { count: 2, vcpus: 8, memoryMb: 16384, localGb: 200, aggregateMetadata: { availability_zone: 'az2' } }],
      requests: [{ flavor: 'm1.small', count: 4, availabilityZone: 'az2' }],
    });
    expect(r.placed).toBe(4);
    expect(r.busiest.filter((b) => b.instances > 0).map((b) => b.host).sort()).toEqual(['g1-host00000', 'g1-host00001']);
  });
});
