import { describe, expect, it } from 'vitest';
import {
  DifferentHostFilter,
  SameHostFilter,
  ServerGroupAffinityFilter,
  ServerGroupAntiAffinityFilter,
  SimpleCIDRAffinityFilter,
} from '../src/index.js';
import { host, spec } from './builders.js';

const withVm = host({ host: 'a', instances: new Set(['vm1', 'vm2']) });
const empty = host({ host: 'b' });

describe('SameHostFilter and DifferentHostFilter', () => {
  it('same_host keeps hosts running one of the instances', () => {
    const f = new SameHostFilter();
    expect(f.hostPasses(withVm, spec({ hints: { same_host: ['vm2', 'vm9'] } }))).toBe(true);
    expect(f.hostPasses(empty, spec({ hints: { same_host: ['vm2'] } }))).toBe(false);
    expect(f.hostPasses(empty, spec())).toBe(true);
  });
  it('different_host keeps hosts running none of them', () => {
    const f = new DifferentHostFilter();
    expect(f.hostPasses(withVm, spec({ hints: { different_host: ['vm1'] } }))).toBe(false);
    expect(f.hostPasses(empty, spec({ hints: { different_host: ['vm1'] } }))).toBe(true);
    expect(f.hostPasses(withVm, spec({ hints: { different_host: [] } }))).toBe(true);
  });
});

describe('SimpleCIDRAffinityFilter', () => {
  const f = new SimpleCIDRAffinityFilter();
  it('defaults to a /24 around build_near_host_ip', () => {
    expect(f.hostPasses(host({ hostIp: '10.1.2.200' }), spec({ hints: { build_near_host_ip: ['10.1.2.1'] } }))).toBe(true);
    expect(f.hostPasses(host({ hostIp: '10.1.3.1' }), spec({ hints: { build_near_host_ip: ['10.1.2.1'] } }))).toBe(false);
  });
  it('takes the prefix from the cidr hint', () => {
    expect(f.hostPasses(host({ hostIp: '10.1.3.1' }), spec({ hints: { build_near_host_ip: ['10.1.2.1'], cidr: ['/16'] } }))).toBe(true);
  });
  it('handles IPv6', () => {
    expect(f.hostPasses(host({ hostIp: '2001:db8::5' }), spec({ hints: { build_near_host_ip: ['2001:db8::1'], cidr: ['/64'] } }))).toBe(true);
    expect(f.hostPasses(host({ hostIp: '2001:db9::5' }), spec({ hints: { build_near_host_ip: ['2001:db8::1'], cidr: ['/64'] } }))).toBe(false);
  });
  it('passes every host without the hint', () => {
    expect(f.hostPasses(host(), spec())).toBe(true);
  });
});

describe('server group filters', () => {
  it('affinity keeps the group’s hosts, or any host for an empty group', () => {
    const f = new ServerGroupAffinityFilter();
    const g = (hosts: string[]) => spec({ instanceGroup: { policy: 'affinity', hosts, members: [] } });
    expect(f.hostPasses(withVm, g(['a']))).toBe(true);
    expect(f.hostPasses(empty, g(['a']))).toBe(false);
    expect(f.hostPasses(empty, g([]))).toBe(true);
    expect(f.hostPasses(empty, spec({ instanceGroup: { policy: 'anti-affinity', hosts: ['a'], members: [] } }))).toBe(true);
  });
  it('anti-affinity drops hosts already running a member, up to max_server_per_host', () => {
    const f = new ServerGroupAntiAffinityFilter();
    const g = (rules?: { max_server_per_host?: number }) =>
      spec({ instanceGroup: { policy: 'anti-affinity', hosts: ['a'], members: ['vm1', 'vm2'], rules } });
    expect(f.hostPasses(withVm, g())).toBe(false);
    expect(f.hostPasses(empty, g())).toBe(true);
    expect(f.hostPasses(withVm, g({ max_server_per_host: 3 }))).toBe(true);
    expect(f.hostPasses(withVm, g({ max_server_per_host: 2 }))).toBe(false);
  });
  it('anti-affinity never blocks the instance’s own host', () => {
    const own = host({ instances: new Set(['vm1', 'me']) });
    const s = spec({ instanceUuid: 'me', instanceGroup: { policy: 'anti-affinity', hosts: [], members: ['vm1', 'me'] } });
    expect(new ServerGroupAntiAffinityFilter().hostPasses(own, s)).toBe(true);
  });
});
