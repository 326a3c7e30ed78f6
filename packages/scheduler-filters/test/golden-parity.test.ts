import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runGolden, type NovaFixture } from '../src/index.js';

const fixturePath = new URL('../../../../shared/anchors/nova-scheduler-golden.json', import.meta.url);
const localFixture = new URL('./fixtures/', import.meta.url);

function loadFixtures(): [string, NovaFixture][] {
  const out: [string, NovaFixture][] = [];
  out.push(['anchors seed 1', JSON.parse(readFileSync(fixturePath, 'utf8')) as NovaFixture]);
  // made with the anchors' script (`golden --seed 2 --hosts 60 --cases 150`, `--seed 3 --hosts 200
  // --cases 50`) and with tools/nova-parity-fixture.py (`--seed 11 --hosts 80 --cases 120`: Aggregate*
  // filters, per-aggregate multipliers and limits, non-default multipliers)
  for (const name of ['nova-golden-seed2.json', 'nova-golden-seed3-200hosts.json', 'nova-parity-aggregates-seed11.json']) {
    out.push([name, JSON.parse(readFileSync(new URL(name, localFixture), 'utf8')) as NovaFixture]);
  }
  return out;
}

describe.each(loadFixtures())('golden parity with real Nova (%s)', (_name, fixture) => {
  const answers = runGolden(fixture);

  it('passes exactly the hosts Nova passes, case by case', () => {
    const mismatches = fixture.cases.flatMap((c, i) => (JSON.stringify(c.passed) === JSON.stringify(answers[i]!.passed) ? [] : [i]));
    expect(mismatches).toEqual([]);
  });

  it("weighs them into Nova's order with Nova's weights", () => {
    const mismatches = fixture.cases.flatMap((c, i) => {
      const a = answers[i]!;
      const sameOrder = JSON.stringify(c.weighed.map((w) => w.host)) === JSON.stringify(a.order);
      const sameWeights = c.weighed.every((w, j) => Math.abs(w.weight - a.weights[j]!) < 1e-8);
      return sameOrder && sameWeights ? [] : [i];
    });
    expect(mismatches).toEqual([]);
  });
});
