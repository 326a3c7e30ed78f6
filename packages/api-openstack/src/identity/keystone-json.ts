import { createHash } from 'node:crypto';
import type { Domain, Project, Role, RoleAssignment, TokenInfo, User } from '@nubo/core';
import { catalogUrls, type ApiEndpoints } from '../endpoints.js';

const self = (base: string, path: string) => ({ self: `${base}/v3/${path}` });

export function projectJson(base: string, p: Project) {
  return {
    id: p.id, name: p.name, domain_id: p.domainId, description: p.description, enabled: p.enabled,
    parent_id: p.domainId, is_domain: false, tags: [], options: {}, links: self(base, `projects/${p.id}`),
  };
}

export function userJson(base: string, u: User) {
  return {
    id: u.id, name: u.name, domain_id: u.domainId, enabled: u.enabled, default_project_id: u.defaultProjectId ?? undefined,
    password_expires_at: null, options: {}, links: self(base, `users/${u.id}`),
  };
}

export function roleJson(base: string, r: Role) {
  return { id: r.id, name: r.name, domain_id: null, description: null, options: {}, links: self(base, `roles/${r.id}`) };
}

export function domainJson(base: string, d: Domain) {
  return { id: d.id, name: d.name, description: '', enabled: d.enabled, tags: [], options: {}, links: self(base, `domains/${d.id}`) };
}

/** Names for `?include_names`: what `openstack role assignment list --names` shows. */
export interface AssignmentNames {
  role(id: string): string | undefined;
  user(id: string): { name: string; domainId: string } | undefined;
  project(id: string): { name: string; domainId: string } | undefined;
  domain(id: string): string | undefined;
}

/** One role assignment; core keeps a domain-wide grant as an assignment on the domain's id. */
export function assignmentJson(base: string, a: RoleAssignment, names: AssignmentNames, withNames: boolean) {
  const domainName = (id: string) => names.domain(id) ?? id;
  const isDomain = names.domain(a.projectId) !== undefined && !names.project(a.projectId);
  const user = withNames ? names.user(a.userId) : undefined;
  const project = withNames ? names.project(a.projectId) : undefined;
  const scope = isDomain
    ? { domain: { id: a.projectId, ...(withNames ? { name: domainName(a.projectId) } : {}) } }
    : { project: { id: a.projectId, ...(project ? { name: project.name, domain: { id: project.domainId, name: domainName(project.domainId) } } : {}) } };
  const target = isDomain ? `domains/${a.projectId}` : `projects/${a.projectId}`;
  return {
    role: { id: a.roleId, ...(withNames ? { name: names.role(a.roleId) ?? a.roleId } : {}) },
    user: { id: a.userId, ...(user ? { name: user.name, domain: { id: user.domainId, name: domainName(user.domainId) } } : {}) },
    scope,
    links: { assignment: `${base}/v3/${target}/users/${a.userId}/roles/${a.roleId}` },
  };
}

/** A collection with Keystone's `links`. */
export function collection(base: string, path: string, key: string, items: unknown[]) {
  return { [key]: items, links: { self: `${base}/v3/${path}`, previous: null, next: null } };
}

/** Stable ids for the catalog's services and endpoints (derived, so they survive restarts). */
const stableId = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);

/** The service catalog: identity, compute and image at the URLs they really listen on. */
export function catalogJson(endpoints: ApiEndpoints, region: string) {
  const urls = catalogUrls(endpoints);
  const entry = (type: string, name: string, url: string) => ({
    id: stableId(`service:${type}`), type, name,
    endpoints: ['public', 'internal', 'admin'].map((iface) => ({
      id: stableId(`endpoint:${type}:${iface}`), interface: iface, region, region_id: region, url,
    })),
  });
  return [
    entry('identity', 'keystone', urls.identity),
    entry('compute', 'nova', urls.compute),
    entry('image', 'glance', urls.image),
  ];
}

/** The body of a token response (POST/GET /v3/auth/tokens). */
export function tokenJson(info: TokenInfo, domains: Domain[], catalog: unknown[] | null) {
  const domainName = (id: string | null) => domains.find((d) => d.id === id)?.name ?? id;
  const token: Record<string, unknown> = {
    methods: info.methods,
    user: { id: info.userId, name: info.userName, domain: { id: info.userDomainId, name: domainName(info.userDomainId) }, password_expires_at: null },
    audit_ids: [createHash('sha256').update(info.token).digest('base64url').slice(0, 22)],
    issued_at: info.issuedAt.toISOString(),
    expires_at: info.expiresAt.toISOString(),
  };
  if (info.projectId) {
    token.project = { id: info.projectId, name: info.projectName, domain: { id: info.projectDomainId, name: domainName(info.projectDomainId) } };
    token.is_domain = false;
  }
  if (info.domainId) token.domain = { id: info.domainId, name: domainName(info.domainId) };
  if (info.projectId || info.domainId) {
    token.roles = info.roles.map((r) => ({ id: r.id, name: r.name }));
    if (catalog) token.catalog = catalog;
  }
  return { token };
}
