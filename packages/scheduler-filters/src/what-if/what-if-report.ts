/** Minimum, maximum, mean and standard deviation of one quantity across the fleet. */
export interface Spread {
  min: number;
  max: number;
  mean: number;
  stddev: number;
}

/** The outcome of a what-if run. */
export interface WhatIfReport {
  requests: number;
  placed: number;
  /** Requests no host could take (Nova's NoValidHost). */
  noValidHost: number;
  /** Requests whose chosen host's fake driver refused the build. */
  buildFailures: number;
  hostsUsed: number;
  hosts: number;
  instancesPerHost: Spread;
  /** Share of each host's RAM in use, 0…1 (can exceed 1 with a RAM allocation ratio above 1). */
  ramUtilisation: Spread;
  vcpuUtilisation: Spread;
  /** The busiest hosts, by instance count. */
  busiest: { host: string; instances: number; ramUsedMb: number }[];
  decisionsPerSecond: number;
}

export function spread(values: number[]): Spread {
  if (values.length === 0) return { min: 0, max: 0, mean: 0, stddev: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  return { min: Math.min(...values), max: Math.max(...values), mean, stddev: Math.sqrt(variance) };
}
