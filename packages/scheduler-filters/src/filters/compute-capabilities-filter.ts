import type { HostFilter, HostState, RequestSpec } from '@nubo/core';
import { matchExtraSpec } from '../extra-specs-ops.js';
import { hasNovaAttribute, NOVA_FLOAT_ATTRIBUTES, novaAttribute } from '../nova-host-attributes.js';
import { pyStr } from '../python-semantics.js';

/**
 * Passes hosts whose capabilities satisfy the flavor's `capabilities:*` extra specs (and
 * unscoped ones naming a host attribute or stat). A key is a path: `capabilities:cpu_info:arch`
 * walks into JSON-valued attributes; a top-level name falls back to the host's `stats`.
 */
export class ComputeCapabilitiesFilter implements HostFilter {
  readonly name = 'ComputeCapabilitiesFilter';
  readonly runFilterOncePerRequest = true;

  hostPasses(host: HostState, spec: RequestSpec): boolean {
    for (const [key, req] of Object.entries(spec.flavor.extraSpecs ?? {})) {
      const scope = key.split(':');
      if (scope.length === 1) {
        if (!hasNovaAttribute(key) && !(key in host.stats)) continue;
      } else if (scope[0] !== 'capabilities') {
        continue;
      } else {
        scope.shift();
      }
      const cap = capability(host, scope);
      if (cap === undefined) return false;
      const isFloat = scope.length === 1 && NOVA_FLOAT_ATTRIBUTES.has(scope[0]!);
      if (!matchExtraSpec(pyStr(cap, isFloat), req)) return false;
    }
    return true;
  }
}

/** Walks `scope` from the host state; undefined where Nova's `_get_capabilities` returns None. */
function capability(host: HostState, scope: string[]): unknown {
  let cap: unknown = host;
  for (let i = 0; i < scope.length; i++) {
    const part = scope[i]!;
    if (typeof cap === 'string') {
      try {
        cap = JSON.parse(cap);
      } catch {
        return undefined;
      }
    }
    if (cap === host) {
      const attr = novaAttribute(host, part);
      cap = attr === undefined ? host.stats[part] : attr;
    } else if (cap !== null && typeof cap === 'object' && !Array.isArray(cap)) {
      cap = Object.prototype.hasOwnProperty.call(cap, part) ? (cap as Record<string, unknown>)[part] : undefined;
    } else {
      return undefined;
    }
    if (cap === undefined || cap === null) return undefined;
  }
  return cap;
}
