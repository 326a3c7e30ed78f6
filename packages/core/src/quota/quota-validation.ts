import { BadRequest } from '../errors.js';
import { QUOTA_RESOURCES, type QuotaDelta, type QuotaLimits, type QuotaResource } from '../model/quota.js';

const KNOWN = new Set<string>(QUOTA_RESOURCES);

export function isQuotaResource(name: string): name is QuotaResource {
  return KNOWN.has(name);
}

export function validateProjectId(projectId: unknown): string {
  if (typeof projectId !== 'string' || projectId.length === 0 || projectId.length > 64) {
    throw new BadRequest(`Invalid project id ${JSON.stringify(projectId)}: a string of 1 to 64 characters is required.`);
  }
  return projectId;
}

/** Limits to store: known resources only, each an integer >= -1 (-1 is unlimited). */
export function validateLimits(limits: unknown): Partial<QuotaLimits> {
  if (limits === null || typeof limits !== 'object' || Array.isArray(limits)) {
    throw new BadRequest('Quota limits must be an object of resource names to integers.');
  }
  const out: Partial<QuotaLimits> = {};
  for (const [resource, value] of Object.entries(limits)) {
    if (!isQuotaResource(resource)) throw new BadRequest(`Bad key(s) ${resource} in quota_set`);
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < -1) {
      throw new BadRequest(`Invalid quota limit ${JSON.stringify(value)} for ${resource}: must be an integer greater than or equal to -1.`);
    }
    out[resource] = value;
  }
  return out;
}

/** What a request asks for: known resources only, each a non-negative integer. */
export function validateDelta(delta: unknown): QuotaDelta {
  if (delta === null || typeof delta !== 'object' || Array.isArray(delta)) {
    throw new BadRequest('A quota request must be an object of resource names to amounts.');
  }
  const out: QuotaDelta = {};
  for (const [resource, value] of Object.entries(delta)) {
    if (!isQuotaResource(resource)) throw new BadRequest(`Unknown quota resource ${resource}.`);
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw new BadRequest(`Invalid amount ${JSON.stringify(value)} of ${resource}: must be a non-negative integer.`);
    }
    out[resource] = value;
  }
  return out;
}
