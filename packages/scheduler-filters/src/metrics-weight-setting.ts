import { pyFloat } from './python-semantics.js';

/** Parses `[metrics] weight_setting` (`name=ratio` items); invalid items are ignored, as Nova does. */
export function parseMetricsWeightSetting(items: string[]): [string, number][] {
  const out: [string, number][] = [];
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) continue;
    try {
      out.push([item.slice(0, eq), pyFloat(item.slice(eq + 1))]);
    } catch {
      // Nova logs and skips a malformed element.
    }
  }
  return out;
}
