import type { FastifyReply, FastifyRequest } from 'fastify';
import { BadRequest, NuboError } from '@nubo/core';

/** The oldest and newest compute microversions this API implements in full. */
export const MIN_MICROVERSION: [number, number] = [2, 1];
export const MAX_MICROVERSION: [number, number] = [2, 1];

export const formatVersion = (v: readonly [number, number]): string => `${v[0]}.${v[1]}`;

class NotAcceptable extends NuboError {
  override readonly status = 406;
}

/** Parses "2.47" (or "latest"); null for anything else. */
export function parseVersion(text: string): [number, number] | 'latest' | null {
  const t = text.trim();
  if (t.toLowerCase() === 'latest') return 'latest';
  const m = /^(\d{1,3})\.(\d{1,3})$/.exec(t);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

export function compareVersions(a: readonly [number, number], b: readonly [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

/** The version the client asked for, from `OpenStack-API-Version: compute X.Y` or the legacy header. */
function requested(req: FastifyRequest): string | null {
  const modern = req.headers['openstack-api-version'];
  if (typeof modern === 'string') {
    for (const part of modern.split(',')) {
      const [service, version] = part.trim().split(/\s+/, 2);
      if (service?.toLowerCase() === 'compute' && version) return version;
    }
  }
  const legacy = req.headers['x-openstack-nova-api-version'];
  return typeof legacy === 'string' ? legacy : null;
}

/**
 * Negotiates the microversion of a compute request (Nova's `APIVersionRequest`): none asked
 * means the minimum, `latest` the maximum, a malformed one 400, one outside the range 406.
 * The answer always names the version used.
 */
export function negotiateMicroversion(req: FastifyRequest, reply: FastifyReply): void {
  const asked = requested(req);
  let version: [number, number] = MIN_MICROVERSION;
  reply.header('vary', 'OpenStack-API-Version, X-OpenStack-Nova-API-Version');
  if (asked !== null) {
    const parsed = parseVersion(asked);
    if (parsed === null) throw new BadRequest(`API Version String ${asked.slice(0, 64)} is of invalid format. Must be of format MajorNum.MinorNum.`);
    version = parsed === 'latest' ? MAX_MICROVERSION : parsed;
    if (compareVersions(version, MIN_MICROVERSION) < 0 || compareVersions(version, MAX_MICROVERSION) > 0) {
      throw new NotAcceptable(`Version ${formatVersion(version)} is not supported by the API. Minimum is ${formatVersion(MIN_MICROVERSION)} and maximum is ${formatVersion(MAX_MICROVERSION)}.`);
    }
  }
  req.microversion = version;
  reply.header('openstack-api-version', `compute ${formatVersion(version)}`);
  reply.header('x-openstack-nova-api-version', formatVersion(version));
}

/** True when the request's negotiated microversion is at least `version` ("2.47"). */
export function isMicroversionAtLeast(req: FastifyRequest, version: string): boolean {
  const v = parseVersion(version);
  if (!v || v === 'latest') throw new Error(`bad microversion literal ${version}`);
  return compareVersions(req.microversion, v) >= 0;
}
