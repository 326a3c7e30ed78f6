import type { HostFilter, HostState } from '@nubo/core';
import { parseMetricsWeightSetting } from '../metrics-weight-setting.js';

/** Passes hosts that report every metric named in `[metrics] weight_setting`, so the MetricsWeigher can weigh them. */
export class MetricsFilter implements HostFilter {
  readonly name = 'MetricsFilter';
  private readonly keys: string[];
  constructor(weightSetting: string[] = []) {
    this.keys = parseMetricsWeightSetting(weightSetting).map(([name]) => name);
  }
  hostPasses(host: HostState): boolean {
    const metrics = host.metrics ?? {};
    return this.keys.every((k) => Object.prototype.hasOwnProperty.call(metrics, k));
  }
}
