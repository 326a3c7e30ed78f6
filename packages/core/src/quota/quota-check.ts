import { QuotaExceeded } from '../errors.js';
import { QUOTA_RESOURCES, type QuotaDelta, type QuotaLimits, type QuotaResource } from '../model/quota.js';
import { isCounted, type CountedUsage } from './quota-usage.js';

/** What a project already holds of `resource` (0 for per-request limits). */
export function usedOf(usage: CountedUsage, resource: QuotaResource): number {
  return isCounted(resource) ? usage[resource] : 0;
}

/**
 * Refuses `delta` if any resource would pass its limit, with Nova's message:
 * "Quota exceeded for instances: Requested 1, but already used 10 of 10 instances".
 */
export function checkDelta(limits: QuotaLimits, usage: CountedUsage, delta: QuotaDelta): void {
  const overs: { resource: QuotaResource; requested: number; used: number; allowed: number }[] = [];
  for (const resource of QUOTA_RESOURCES) {
    const requested = delta[resource] ?? 0;
    const allowed = limits[resource];
    if (requested === 0 || allowed === -1) continue;
    const used = usedOf(usage, resource);
    if (used + requested > allowed) overs.push({ resource, requested, used, allowed });
  }
  if (overs.length === 0) return;
  const list = (key: 'resource' | 'requested' | 'used' | 'allowed') => overs.map((o) => o[key]).join(', ');
  const names = list('resource');
  throw new QuotaExceeded(
    `Quota exceeded for ${names}: Requested ${list('requested')}, but already used ${list('used')} of ${list('allowed')} ${names}`,
    403,
    { overs },
  );
}
