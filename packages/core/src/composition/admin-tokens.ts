/** Container identifiers of the admin and catalogue API services (flavors, key pairs, quotas, hosts, …). */
export const ADMIN_TOKENS = {
  Flavors: Symbol.for('nubo.FlavorService'),
  KeyPairs: Symbol.for('nubo.KeyPairService'),
  QuotaSets: Symbol.for('nubo.QuotaSetService'),
  Limits: Symbol.for('nubo.LimitsService'),
  HostAdmin: Symbol.for('nubo.HostAdminService'),
  AvailabilityZones: Symbol.for('nubo.AvailabilityZoneService'),
  ServerGroups: Symbol.for('nubo.ServerGroupService'),
  Usage: Symbol.for('nubo.UsageService'),
} as const;
