/** The built-in role implications, as Keystone bootstraps them: admin → member → reader. */
export const IMPLIED_ROLES: Readonly<Record<string, readonly string[]>> = { admin: ['member'], member: ['reader'] };

/** The names of `roles` plus every role they imply, transitively. */
export function withImpliedRoles(roles: Iterable<string>): Set<string> {
  const out = new Set<string>();
  const visit = (name: string) => {
    if (out.has(name)) return;
    out.add(name);
    for (const next of IMPLIED_ROLES[name] ?? []) visit(next);
  };
  for (const r of roles) visit(r);
  return out;
}
