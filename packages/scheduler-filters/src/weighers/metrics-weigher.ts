import { NoValidHost, type HostState, type HostWeigher } from '@nubo/core';
import { parseMetricsWeightSetting } from '../metrics-weight-setting.js';
import { weightMultiplier } from './weight-multiplier.js';

/** Options of Nova's `[metrics]` group. */
export interface MetricsWeigherOptions {
  weightSetting: string[];
  weightMultiplier: number;
  weightOfUnavailable: number;
  required: boolean;
}

/**
 * Weighs hosts by a linear combination of their reported metrics (`[metrics] weight_setting`,
 * `name=ratio` items). A host missing a metric throws when `required`, else weighs
 * `weight_of_unavailable`. Override: `metrics_weight_multiplier`.
 */
export class MetricsWeigher implements HostWeigher {
  readonly name = 'MetricsWeigher';
  private readonly setting: [string, number][];
  constructor(private readonly options: MetricsWeigherOptions = { weightSetting: [], weightMultiplier: 1.0, weightOfUnavailable: -10000.0, required: true }) {
    this.setting = parseMetricsWeightSetting(options.weightSetting);
  }
  multiplier(host: HostState): number {
    return weightMultiplier(host, 'metrics_weight_multiplier', this.options.weightMultiplier);
  }
  weigh(host: HostState): number {
    let value = 0.0;
    const metrics = host.metrics ?? {};
    for (const [name, ratio] of this.setting) {
      const m = Object.prototype.hasOwnProperty.call(metrics, name) ? metrics[name] : undefined;
      if (m !== undefined) {
        value += m * ratio;
        continue;
      }
      if (this.options.required) throw new NoValidHost(`Metric ${name} not found on host ${host.host} (node ${host.node}).`);
      if (ratio * this.multiplier(host) !== 0) return this.options.weightOfUnavailable;
    }
    return value;
  }
}
