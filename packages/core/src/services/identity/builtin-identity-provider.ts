import { In } from 'typeorm';
import { BadRequest, NotFound, Unauthorized } from '../../errors.js';
import { DEFAULT_DOMAIN_ID, type Domain, type Project, type Role } from '../../model/identity.js';
import type { RequestContext } from '../../model/request-context.js';
import type { IdentityProvider, PasswordCredentials, TokenInfo, TokenScope } from '../../ports/identity-provider.js';
import type { Database } from '../../persistence/database.js';
import {
  DomainSchema, ProjectSchema, RoleSchema, UserSchema, type TokenRow, type UserRow,
} from '../../persistence/schemas/identity-schemas.js';
import { IdentityDirectory, newIdentityId } from './identity-directory.js';
import { PASSWORD_LIMIT, requireId, requireName, requirePassword } from './identity-validation.js';
import { withImpliedRoles } from './implied-roles.js';
import { PasswordHasher } from './password-hasher.js';
import { hashTokenSecret, newTokenSecret } from './token-secret.js';
import { TokenStore } from './token-store.js';
import { ValidationCache } from './validation-cache.js';

export interface BuiltinIdentityOptions {
  /** How long a token lives, in seconds (Keystone's `[token] expiration`). Default 3600. */
  tokenTtlSeconds?: number;
  /** scrypt's cost as a power of two. Default 14 (N = 16384). Lower it only in tests. */
  passwordHashCost?: number;
  /**
   * How long a validated token is remembered, in seconds, so that each request does not
   * repeat the same queries. Changes made through this provider (revocation, roles, users,
   * projects) take effect at once; changes made by another process within this many seconds.
   * Default 5; 0 turns the cache off.
   */
  validationCacheSeconds?: number;
  /** The clock; tests move it to see tokens expire. */
  now?: () => Date;
}

export interface BootstrapOptions {
  adminUser: string;
  adminPassword: string;
  adminProject: string;
  /** The region the service catalog names. Default `RegionOne`. */
  region?: string;
}

export interface BootstrapResult {
  domainId: string;
  projectId: string;
  userId: string;
  roleIds: { admin: string; member: string; reader: string };
  region: string;
}

/** Keystone's answer to any failed authentication: it says no more, so nothing leaks. */
export const AUTHENTICATION_REQUIRED_MESSAGE = 'The request you have made requires authentication.';

interface Scope {
  project: Project | null;
  domain: Domain | null;
}

/**
 * The built-in identity service, a Keystone v3 in the cloud's own database: users with salted
 * scrypt password hashes, projects in domains, the roles admin, member and reader (admin
 * implies member implies reader), and opaque tokens stored only as their SHA-256.
 *
 * A token's roles are recomputed at every validation, so removing a role, a user or a project
 * takes effect at once. Revoking a token also revokes the tokens re-scoped from it.
 */
export class BuiltinIdentityProvider extends IdentityDirectory implements IdentityProvider {
  private readonly ttlMs: number;
  private readonly now: () => Date;
  private readonly cache: ValidationCache;

  constructor(db: Database, options: BuiltinIdentityOptions = {}) {
    super(db, new PasswordHasher(options.passwordHashCost ?? 14), new TokenStore(db));
    const ttl = options.tokenTtlSeconds ?? 3600;
    if (!(ttl > 0)) throw new BadRequest(`tokenTtlSeconds must be a positive number of seconds, got ${ttl}.`);
    this.ttlMs = ttl * 1000;
    this.now = options.now ?? (() => new Date());
    this.cache = new ValidationCache((options.validationCacheSeconds ?? 5) * 1000);
  }

  /**
   * Creates what a fresh cloud needs: the Default domain, the three roles, the admin project
   * and the admin user with the admin role on it (and on the Default domain). Idempotent: a
   * second run changes nothing and keeps the user's current password.
   */
  async bootstrap(options: BootstrapOptions): Promise<BootstrapResult> {
    const userName = requireName(options?.adminUser, 'user');
    const password = requirePassword(options.adminPassword);
    const projectName = requireName(options.adminProject, 'project');
    await this.ensureDefaults();
    const project = await this.insertIfMissing(
      ProjectSchema,
      { domainId: DEFAULT_DOMAIN_ID, name: projectName },
      { id: newIdentityId(), name: projectName, domainId: DEFAULT_DOMAIN_ID, description: 'Bootstrap project for initializing the cloud.', enabled: true },
    );
    let user = await this.db.repo(UserSchema).findOneBy({ domainId: DEFAULT_DOMAIN_ID, name: userName });
    if (!user) {
      const row: UserRow = {
        id: newIdentityId(), name: userName, domainId: DEFAULT_DOMAIN_ID, defaultProjectId: project.id, enabled: true,
        passwordHash: await this.hasher.hash(password),
      };
      user = await this.insertIfMissing(UserSchema, { domainId: DEFAULT_DOMAIN_ID, name: userName }, row);
    }
    const roles = await this.db.repo(RoleSchema).findBy({ name: In(['admin', 'member', 'reader']) });
    const roleId = (name: string) => roles.find((r) => r.name === name)!.id;
    await this.assignRole({ userId: user.id, projectId: project.id, roleId: roleId('admin') });
    await this.assignRole({ userId: user.id, projectId: DEFAULT_DOMAIN_ID, roleId: roleId('admin') });
    return {
      domainId: DEFAULT_DOMAIN_ID,
      projectId: project.id,
      userId: user.id,
      roleIds: { admin: roleId('admin'), member: roleId('member'), reader: roleId('reader') },
      region: options.region ?? 'RegionOne',
    };
  }

  async authenticatePassword(credentials: PasswordCredentials, scope: TokenScope): Promise<TokenInfo> {
    if (!credentials || typeof credentials !== 'object' || !credentials.user || typeof credentials.user !== 'object') {
      throw new BadRequest('Password authentication needs a user (id, or name and domain) and a password.');
    }
    if (typeof credentials.password !== 'string') throw new BadRequest('Password authentication needs a password.');
    // No stored password is longer; refusing early keeps a huge one from costing a long hash.
    if (credentials.password.length > PASSWORD_LIMIT) throw new Unauthorized(AUTHENTICATION_REQUIRED_MESSAGE);
    const user = await this.findUserForAuth(credentials.user);
    if (!user) {
      await this.hasher.burn(credentials.password);
      throw new Unauthorized(AUTHENTICATION_REQUIRED_MESSAGE);
    }
    const ok = await this.hasher.verify(credentials.password, user.passwordHash);
    if (!ok || !user.enabled) throw new Unauthorized(AUTHENTICATION_REQUIRED_MESSAGE);
    const resolved = await this.resolveScope(user, scope);
    const issuedAt = this.now();
    return this.issue(user, resolved, ['password'], issuedAt, new Date(issuedAt.getTime() + this.ttlMs), null);
  }

  async authenticateToken(token: string, scope: TokenScope): Promise<TokenInfo> {
    const original = await this.validateToken(token);
    const user = await this.getUserRow(original.userId);
    const resolved = await this.resolveScope(user, scope);
    const methods = [...new Set([...original.methods, 'token'])];
    return this.issue(user, resolved, methods, this.now(), original.expiresAt, hashTokenSecret(token));
  }

  async validateToken(token: string): Promise<TokenInfo> {
    if (typeof token !== 'string' || token.length === 0 || token.length > 1024) throw new Unauthorized(AUTHENTICATION_REQUIRED_MESSAGE);
    const tokenHash = hashTokenSecret(token);
    const now = this.now().getTime();
    const cached = this.cache.get(tokenHash, now);
    if (cached) return { ...cached, roles: [...cached.roles], token };
    const generation = this.cache.generation;
    const row = await this.tokens.find(tokenHash);
    if (!row || row.revoked || row.expiresAt.getTime() <= this.now().getTime()) throw new Unauthorized(AUTHENTICATION_REQUIRED_MESSAGE);
    const user = await this.db.repo(UserSchema).findOneBy({ id: row.userId });
    if (!user || !user.enabled) throw new Unauthorized(AUTHENTICATION_REQUIRED_MESSAGE);
    const scope = await this.scopeOfRow(row);
    const roles = await this.rolesForScope(user, scope, true);
    const info = this.tokenInfo(token, row, user, scope, roles);
    this.cache.set(tokenHash, info, now, generation);
    return info;
  }

  /** Throws `NotFound` for a token that is unknown or already revoked (Keystone's 404). */
  async revokeToken(token: string): Promise<void> {
    const known = typeof token === 'string' && token.length > 0 && (await this.tokens.revokeWithDescendants(hashTokenSecret(token)));
    this.changed();
    if (!known) throw new NotFound('Could not find token.');
  }

  /** Deletes expired tokens (Keystone's `token_flush`); returns how many. Safe to run at any time. */
  flushExpiredTokens(): Promise<number> {
    return this.tokens.deleteExpired(this.now());
  }

  contextFor(info: TokenInfo, requestId: string): RequestContext {
    const roles = info.roles.map((r) => r.name);
    return {
      requestId,
      userId: info.userId,
      projectId: info.projectId ?? '',
      roles,
      isAdmin: roles.includes('admin'),
      authToken: info.token,
    };
  }

  protected override changed(): void {
    this.cache.clear();
  }

  // ---- internals

  private async findUserForAuth(u: PasswordCredentials['user']): Promise<UserRow | null> {
    const repo = this.db.repo(UserSchema);
    if (u.id !== undefined) return repo.findOneBy({ id: requireId(u.id, 'user') });
    if (u.name === undefined) throw new BadRequest('Password authentication needs the user’s id or name.');
    const name = requireName(u.name, 'user');
    const domainId = await this.domainIdOf(u.domainId, u.domainName);
    return domainId ? repo.findOneBy({ domainId, name }) : null;
  }

  /** The domain named by id or name; the Default domain when neither is given; null when unknown. */
  private async domainIdOf(id: string | undefined, name: string | undefined): Promise<string | null> {
    if (id !== undefined) return requireId(id, 'domain');
    if (name !== undefined) return (await this.findDomainByName(name))?.id ?? null;
    return DEFAULT_DOMAIN_ID;
  }

  private async resolveScope(user: UserRow, scope: TokenScope): Promise<Scope> {
    if (scope === null || scope === undefined) return this.defaultScope(user);
    if (typeof scope !== 'object') throw new BadRequest('A scope names a project or a domain.');
    let resolved: Scope;
    if ('project' in scope) {
      const p = scope.project;
      if (!p || typeof p !== 'object' || (p.id === undefined && p.name === undefined)) {
        throw new BadRequest('A project scope needs the project’s id, or its name and domain.');
      }
      let project: Project | null = null;
      if (p.id !== undefined) project = await this.db.repo(ProjectSchema).findOneBy({ id: requireId(p.id, 'project') });
      else {
        const domainId = await this.domainIdOf(p.domainId, p.domainName);
        if (domainId) project = await this.db.repo(ProjectSchema).findOneBy({ domainId, name: requireName(p.name, 'project') });
      }
      if (!project || !project.enabled) throw new Unauthorized(`User ${user.id} has no access to project ${p.id ?? p.name}.`);
      resolved = { project, domain: null };
    } else if ('domain' in scope) {
      const d = scope.domain;
      if (!d || typeof d !== 'object' || (d.id === undefined && d.name === undefined)) {
        throw new BadRequest('A domain scope needs the domain’s id or name.');
      }
      const domain = d.id !== undefined
        ? await this.db.repo(DomainSchema).findOneBy({ id: requireId(d.id, 'domain') })
        : await this.findDomainByName(d.name!);
      if (!domain || !domain.enabled) throw new Unauthorized(`User ${user.id} has no access to domain ${d.id ?? d.name}.`);
      resolved = { project: null, domain };
    } else {
      throw new BadRequest('A scope names a project or a domain.');
    }
    await this.rolesForScope(user, resolved, false);
    return resolved;
  }

  /** Keystone scopes a token without a scope to the user's default project when the user has a role there. */
  private async defaultScope(user: UserRow): Promise<Scope> {
    if (!user.defaultProjectId) return { project: null, domain: null };
    const project = await this.db.repo(ProjectSchema).findOneBy({ id: user.defaultProjectId });
    if (!project || !project.enabled) return { project: null, domain: null };
    const assigned = await this.assignedRoles(user.id, project.id);
    return assigned.length > 0 ? { project, domain: null } : { project: null, domain: null };
  }

  private async scopeOfRow(row: TokenRow): Promise<Scope> {
    if (row.projectId) {
      const project = await this.db.repo(ProjectSchema).findOneBy({ id: row.projectId });
      if (!project || !project.enabled) throw new Unauthorized(AUTHENTICATION_REQUIRED_MESSAGE);
      return { project, domain: null };
    }
    if (row.domainId) {
      const domain = await this.db.repo(DomainSchema).findOneBy({ id: row.domainId });
      if (!domain || !domain.enabled) throw new Unauthorized(AUTHENTICATION_REQUIRED_MESSAGE);
      return { project: null, domain };
    }
    return { project: null, domain: null };
  }

  /** The effective roles (with implied ones) on the scope; a scoped token without any is refused. */
  private async rolesForScope(user: UserRow, scope: Scope, validating: boolean): Promise<Role[]> {
    const target = scope.project?.id ?? scope.domain?.id;
    if (!target) return [];
    const assigned = await this.assignedRoles(user.id, target);
    if (assigned.length === 0) {
      throw new Unauthorized(validating ? AUTHENTICATION_REQUIRED_MESSAGE : `User ${user.id} has no access to ${scope.project ? 'project' : 'domain'} ${target}.`);
    }
    const names = withImpliedRoles(assigned.map((r) => r.name));
    const extra = [...names].filter((n) => !assigned.some((r) => r.name === n));
    const implied = extra.length > 0 ? await this.db.repo(RoleSchema).findBy({ name: In(extra) }) : [];
    return [...assigned, ...implied].sort((a, b) => a.name.localeCompare(b.name));
  }

  private async issue(user: UserRow, scope: Scope, methods: string[], issuedAt: Date, expiresAt: Date, parentHash: string | null): Promise<TokenInfo> {
    const roles = await this.rolesForScope(user, scope, false);
    const token = newTokenSecret();
    const row: TokenRow = {
      tokenHash: hashTokenSecret(token),
      userId: user.id,
      projectId: scope.project?.id ?? null,
      domainId: scope.domain?.id ?? null,
      methods,
      issuedAt,
      expiresAt,
      revoked: false,
      parentHash,
    };
    await this.tokens.insert(row);
    return this.tokenInfo(token, row, user, scope, roles);
  }

  private tokenInfo(token: string, row: TokenRow, user: UserRow, scope: Scope, roles: Role[]): TokenInfo {
    return {
      token,
      userId: user.id,
      userName: user.name,
      userDomainId: user.domainId,
      projectId: scope.project?.id ?? null,
      projectName: scope.project?.name ?? null,
      projectDomainId: scope.project?.domainId ?? null,
      domainId: scope.domain?.id ?? null,
      roles,
      issuedAt: row.issuedAt,
      expiresAt: row.expiresAt,
      methods: row.methods,
    };
  }
}
