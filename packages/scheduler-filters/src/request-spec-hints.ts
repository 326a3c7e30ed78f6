import type { RequestSpec } from '@nubo/core';

/**
 * Nova's `RequestSpec.get_scheduler_hint`: a one-element hint list reads as its element,
 * a longer list as the list, a missing hint as `fallback`.
 */
export function schedulerHint<T extends string | string[] | undefined>(
  spec: RequestSpec,
  name: string,
  fallback?: T,
): string | string[] | T {
  const v = spec.schedulerHints?.[name];
  if (v === undefined) return fallback as T;
  return Array.isArray(v) && v.length === 1 ? v[0]! : v;
}

/** True when the request is a rebuild on the current host (`_nova_check_type: ['rebuild']`). */
export function isRebuild(spec: RequestSpec): boolean {
  const v = spec.schedulerHints?.['_nova_check_type'];
  return Array.isArray(v) && v.length === 1 && v[0] === 'rebuild';
}

/** The hint as a list of strings (a scalar becomes a one-element list). */
export function hintList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
