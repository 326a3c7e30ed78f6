import { createFilters, createWeighers } from '../create-host-selector.js';
import { filterHosts } from '../pipeline/filter-hosts.js';
import { weighHosts } from '../pipeline/weigh-hosts.js';
import { fixtureConfig, fixtureHostStates, fixtureRequestSpec, type NovaFixture } from './nova-fixture.js';

/** Nubo's answer to one fixture case, in the golden command's output shape. */
export interface GoldenAnswer {
  /** Names of the hosts passing every filter, sorted. */
  passed: string[];
  /** The passing hosts, best first. */
  order: string[];
  /** Their total weights, in `order`. */
  weights: number[];
}

/** Runs every case of a fixture through Nubo's filters and weighers with the fixture's configuration. */
export function runGolden(fixture: NovaFixture): GoldenAnswer[] {
  const config = fixtureConfig(fixture);
  const filters = createFilters(config);
  const weighers = createWeighers(config);
  const hosts = fixtureHostStates(fixture);
  return fixture.cases.map((c) => {
    const spec = fixtureRequestSpec(c.request);
    const passed = filterHosts(filters, hosts, spec);
    const weighed = weighHosts(weighers, passed, spec);
    return {
      passed: passed.map((h) => h.host).sort(),
      order: weighed.map((w) => w.host.host),
      weights: weighed.map((w) => w.weight),
    };
  });
}
