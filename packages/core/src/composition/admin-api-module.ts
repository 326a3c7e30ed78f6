import { ContainerModule, type ResolutionContext } from 'inversify';
import type { Database } from '../persistence/database.js';
import type { IdentityProvider } from '../ports/identity-provider.js';
import { AvailabilityZoneService } from '../services/api/availability-zone-service.js';
import { FlavorService } from '../services/api/flavor-service.js';
import { HostAdminService } from '../services/api/host-admin-service.js';
import { KeyPairService } from '../services/api/key-pair-service.js';
import { LimitsService } from '../services/api/limits-service.js';
import { QuotaSetService } from '../services/api/quota-set-service.js';
import { ServerGroupService } from '../services/api/server-group-service.js';
import { UsageService } from '../services/api/usage-service.js';
import { ADMIN_TOKENS } from './admin-tokens.js';
import type { ResolvedOptions } from './core-modules.js';
import { TOKENS } from './tokens.js';

const db = (c: ResolutionContext) => c.get<Database>(TOKENS.Database);
const opts = (c: ResolutionContext) => c.get<ResolvedOptions>(TOKENS.Options);

/** Whether a project exists, asked of the identity provider (any failure to find it counts as "no"). */
const projectExists = (c: ResolutionContext) => {
  const identity = c.get<IdentityProvider>(TOKENS.IdentityProvider);
  return (id: string) => identity.getProject(id).then(() => true, () => false);
};

/** Flavors, key pairs, quotas, limits, hosts, zones, server groups and usage: the rest of the compute API, HTTP-free. */
export const adminApiModule = new ContainerModule(({ bind }) => {
  bind(ADMIN_TOKENS.Flavors).toDynamicValue((c) => new FlavorService(db(c), c.get(TOKENS.PolicyEngine), projectExists(c))).inSingletonScope();
  bind(ADMIN_TOKENS.KeyPairs).toDynamicValue((c) => new KeyPairService(db(c), c.get(TOKENS.PolicyEngine), c.get(TOKENS.QuotaEngine))).inSingletonScope();
  bind(ADMIN_TOKENS.QuotaSets).toDynamicValue((c) => new QuotaSetService(db(c), c.get(TOKENS.PolicyEngine), c.get(TOKENS.QuotaEngine), projectExists(c))).inSingletonScope();
  bind(ADMIN_TOKENS.Limits).toDynamicValue((c) => new LimitsService(db(c), c.get(TOKENS.PolicyEngine), c.get(TOKENS.QuotaEngine))).inSingletonScope();
  bind(ADMIN_TOKENS.HostAdmin).toDynamicValue((c) => new HostAdminService(db(c), c.get(TOKENS.PolicyEngine), { serviceDownTimeSec: opts(c).timings.serviceDownTimeSec })).inSingletonScope();
  bind(ADMIN_TOKENS.AvailabilityZones).toDynamicValue((c) => new AvailabilityZoneService(db(c), c.get(TOKENS.PolicyEngine), { serviceDownTimeSec: opts(c).timings.serviceDownTimeSec })).inSingletonScope();
  bind(ADMIN_TOKENS.ServerGroups).toDynamicValue((c) => new ServerGroupService(db(c), c.get(TOKENS.PolicyEngine), c.get(TOKENS.QuotaEngine))).inSingletonScope();
  bind(ADMIN_TOKENS.Usage).toDynamicValue((c) => new UsageService(db(c), c.get(TOKENS.PolicyEngine))).inSingletonScope();
});
