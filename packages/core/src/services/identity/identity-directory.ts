import { randomUUID } from 'node:crypto';
import { In, type EntitySchema, type ObjectLiteral } from 'typeorm';
import { BadRequest, Conflict, NotFound } from '../../errors.js';
import { BUILTIN_ROLES, DEFAULT_DOMAIN_ID, type Domain, type Project, type Role, type RoleAssignment, type User } from '../../model/identity.js';
import type { Database } from '../../persistence/database.js';
import {
  DomainSchema, ProjectSchema, RoleAssignmentSchema, RoleSchema, UserSchema, type UserRow,
} from '../../persistence/schemas/identity-schemas.js';
import {
  optionalBoolean, optionalDescription, requireId, requireName, requirePassword,
} from './identity-validation.js';
import type { PasswordHasher } from './password-hasher.js';
import type { TokenStore } from './token-store.js';
import { isUniqueViolation } from '../../persistence/unique-violation.js';

/** Keystone-style ids: a UUID4 without dashes. */
export const newIdentityId = (): string => randomUUID().replace(/-/g, '');

function toUser(row: UserRow): User {
  return { id: row.id, name: row.name, domainId: row.domainId, defaultProjectId: row.defaultProjectId ?? null, enabled: row.enabled };
}

/**
 * Domains, projects, users, roles and role assignments in the database. A role assignment's
 * `projectId` may name a domain (Keystone treats a domain as a project acting as a domain):
 * that is how a user gets a role on a domain, for domain-scoped tokens.
 */
export class IdentityDirectory {
  private defaultsReady: Promise<void> | null = null;

  constructor(
    protected readonly db: Database,
    protected readonly hasher: PasswordHasher,
    protected readonly tokens: TokenStore,
  ) {}

  /** Creates the Default domain and the admin, member and reader roles if missing. Idempotent. */
  ensureDefaults(): Promise<void> {
    this.defaultsReady ??= (async () => {
      await this.insertIfMissing(DomainSchema, { id: DEFAULT_DOMAIN_ID }, { id: DEFAULT_DOMAIN_ID, name: 'Default', enabled: true });
      for (const name of BUILTIN_ROLES) await this.insertIfMissing(RoleSchema, { name }, { id: newIdentityId(), name });
    })().catch((err) => {
      this.defaultsReady = null;
      throw err;
    });
    return this.defaultsReady;
  }

  async listDomains(): Promise<Domain[]> {
    await this.ensureDefaults();
    return this.db.repo(DomainSchema).find({ order: { name: 'ASC' } });
  }

  async getDomain(id: string): Promise<Domain> {
    await this.ensureDefaults();
    const found = await this.db.repo(DomainSchema).findOneBy({ id: requireId(id, 'domain') });
    if (!found) throw new NotFound(`Could not find domain: ${id}.`);
    return found;
  }

  async findDomainByName(name: string): Promise<Domain | null> {
    await this.ensureDefaults();
    return this.db.repo(DomainSchema).findOneBy({ name: requireName(name, 'domain') });
  }

  // ---- projects

  async listProjects(filter: { domainId?: string; name?: string } = {}): Promise<Project[]> {
    const where: Partial<Project> = {};
    if (filter.domainId !== undefined) where.domainId = requireId(filter.domainId, 'domain');
    if (filter.name !== undefined) where.name = requireName(filter.name, 'project');
    return this.db.repo(ProjectSchema).find({ where, order: { name: 'ASC' } });
  }

  async getProject(id: string): Promise<Project> {
    const found = await this.db.repo(ProjectSchema).findOneBy({ id: requireId(id, 'project') });
    if (!found) throw new NotFound(`Could not find project: ${id}.`);
    return found;
  }

  async createProject(input: { name: string; domainId?: string; description?: string; enabled?: boolean }): Promise<Project> {
    if (!input || typeof input !== 'object') throw new BadRequest('A project needs at least a name.');
    const project: Project = {
      id: newIdentityId(),
      name: requireName(input.name, 'project'),
      domainId: input.domainId === undefined ? DEFAULT_DOMAIN_ID : requireId(input.domainId, 'domain'),
      description: optionalDescription(input.description) ?? '',
      enabled: optionalBoolean(input.enabled, 'enabled') ?? true,
    };
    await this.getDomain(project.domainId);
    await this.insertUnique(ProjectSchema, project, () => projectConflict(project.name));
    return project;
  }

  async updateProject(id: string, patch: Partial<Pick<Project, 'name' | 'description' | 'enabled'>>): Promise<Project> {
    const project = await this.getProject(id);
    const next: Project = {
      ...project,
      name: patch?.name === undefined ? project.name : requireName(patch.name, 'project'),
      description: optionalDescription(patch?.description) ?? project.description,
      enabled: optionalBoolean(patch?.enabled, 'enabled') ?? project.enabled,
    };
    await this.saveUnique(ProjectSchema, { id }, next, () => projectConflict(next.name));
    this.changed();
    return next;
  }

  /** Deletes the project, its role assignments, and revokes the tokens scoped to it. */
  async deleteProject(id: string): Promise<void> {
    await this.getProject(id);
    await this.db.transaction(async (tx) => {
      await this.db.repo(RoleAssignmentSchema, tx).delete({ projectId: id });
      await this.db.repo(ProjectSchema, tx).delete({ id });
    });
    await this.tokens.revokeForProject(id);
    this.changed();
  }

  // ---- users

  async listUsers(filter: { domainId?: string; name?: string } = {}): Promise<User[]> {
    const where: { domainId?: string; name?: string } = {};
    if (filter.domainId !== undefined) where.domainId = requireId(filter.domainId, 'domain');
    if (filter.name !== undefined) where.name = requireName(filter.name, 'user');
    return (await this.db.repo(UserSchema).find({ where, order: { name: 'ASC' } })).map(toUser);
  }

  async getUser(id: string): Promise<User> {
    return toUser(await this.getUserRow(id));
  }

  protected async getUserRow(id: string): Promise<UserRow> {
    const found = await this.db.repo(UserSchema).findOneBy({ id: requireId(id, 'user') });
    if (!found) throw new NotFound(`Could not find user: ${id}.`);
    return found;
  }

  async createUser(input: { name: string; password: string; domainId?: string; defaultProjectId?: string | null; enabled?: boolean }): Promise<User> {
    if (!input || typeof input !== 'object') throw new BadRequest('A user needs at least a name and a password.');
    const name = requireName(input.name, 'user');
    const password = requirePassword(input.password);
    const domainId = input.domainId === undefined ? DEFAULT_DOMAIN_ID : requireId(input.domainId, 'domain');
    const enabled = optionalBoolean(input.enabled, 'enabled') ?? true;
    const defaultProjectId = input.defaultProjectId == null ? null : requireId(input.defaultProjectId, 'project');
    await this.getDomain(domainId);
    if (defaultProjectId) await this.getProject(defaultProjectId);
    const row: UserRow = { id: newIdentityId(), name, domainId, defaultProjectId, enabled, passwordHash: await this.hasher.hash(password) };
    await this.insertUnique(UserSchema, row, () => userConflict(name));
    return toUser(row);
  }

  /** A new password or disabling the user revokes every token the user holds. */
  async updateUser(id: string, patch: Partial<Pick<User, 'name' | 'enabled' | 'defaultProjectId'>> & { password?: string }): Promise<User> {
    const row = await this.getUserRow(id);
    const next: UserRow = { ...row };
    if (patch?.name !== undefined) next.name = requireName(patch.name, 'user');
    const enabled = optionalBoolean(patch?.enabled, 'enabled');
    if (enabled !== undefined) next.enabled = enabled;
    if (patch?.defaultProjectId !== undefined) {
      next.defaultProjectId = patch.defaultProjectId === null ? null : requireId(patch.defaultProjectId, 'project');
      if (next.defaultProjectId) await this.getProject(next.defaultProjectId);
    }
    const password = patch?.password === undefined ? undefined : requirePassword(patch.password);
    if (password !== undefined) next.passwordHash = await this.hasher.hash(password);
    await this.saveUnique(UserSchema, { id }, next, () => userConflict(next.name));
    if (password !== undefined || (row.enabled && !next.enabled)) await this.tokens.revokeForUser(id);
    this.changed();
    return toUser(next);
  }

  async deleteUser(id: string): Promise<void> {
    await this.getUserRow(id);
    await this.db.transaction(async (tx) => {
      await this.db.repo(RoleAssignmentSchema, tx).delete({ userId: id });
      await this.db.repo(UserSchema, tx).delete({ id });
    });
    await this.tokens.revokeForUser(id);
    this.changed();
  }

  // ---- roles and assignments

  async listRoles(): Promise<Role[]> {
    await this.ensureDefaults();
    return this.db.repo(RoleSchema).find({ order: { name: 'ASC' } });
  }

  async getRole(id: string): Promise<Role> {
    const found = await this.db.repo(RoleSchema).findOneBy({ id: requireId(id, 'role') });
    if (!found) throw new NotFound(`Could not find role: ${id}.`);
    return found;
  }

  async findRoleByName(name: string): Promise<Role | null> {
    await this.ensureDefaults();
    return this.db.repo(RoleSchema).findOneBy({ name: requireName(name, 'role') });
  }

  async createRole(name: string): Promise<Role> {
    const role: Role = { id: newIdentityId(), name: requireName(name, 'role') };
    await this.ensureDefaults();
    await this.insertUnique(RoleSchema, role, () => new Conflict(`Conflict occurred attempting to store role - a role named ${role.name} already exists.`));
    return role;
  }

  /** Grants a role on a project (or a domain). Granting what is already granted changes nothing. */
  async assignRole(assignment: RoleAssignment): Promise<void> {
    const a = await this.checkedAssignment(assignment);
    const repo = this.db.repo(RoleAssignmentSchema);
    if (await repo.findOneBy(a)) return;
    try {
      await repo.insert(a);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }

  async unassignRole(assignment: RoleAssignment): Promise<void> {
    const a = await this.checkedAssignment(assignment);
    const repo = this.db.repo(RoleAssignmentSchema);
    if (!(await repo.findOneBy(a))) {
      throw new NotFound(`Could not find role assignment: role ${a.roleId} for user ${a.userId} on ${a.projectId}.`);
    }
    await repo.delete(a);
    this.changed();
  }

  async listRoleAssignments(filter: Partial<RoleAssignment> = {}): Promise<RoleAssignment[]> {
    const where: Partial<RoleAssignment> = {};
    if (filter.userId !== undefined) where.userId = requireId(filter.userId, 'user');
    if (filter.projectId !== undefined) where.projectId = requireId(filter.projectId, 'project');
    if (filter.roleId !== undefined) where.roleId = requireId(filter.roleId, 'role');
    return this.db.repo(RoleAssignmentSchema).find({ where, order: { userId: 'ASC', projectId: 'ASC', roleId: 'ASC' } });
  }

  async listUserProjects(userId: string): Promise<Project[]> {
    await this.getUserRow(userId);
    const assignments = await this.db.repo(RoleAssignmentSchema).findBy({ userId });
    const ids = [...new Set(assignments.map((a) => a.projectId))];
    if (ids.length === 0) return [];
    return this.db.repo(ProjectSchema).find({ where: { id: In(ids) }, order: { name: 'ASC' } });
  }

  /** The roles assigned to a user on a project or domain (without implied ones). */
  protected async assignedRoles(userId: string, projectId: string): Promise<Role[]> {
    const assignments = await this.db.repo(RoleAssignmentSchema).findBy({ userId, projectId });
    if (assignments.length === 0) return [];
    return this.db.repo(RoleSchema).findBy({ id: In(assignments.map((a) => a.roleId)) });
  }

  private async checkedAssignment(assignment: RoleAssignment): Promise<RoleAssignment> {
    if (!assignment || typeof assignment !== 'object') throw new BadRequest('A role assignment needs a userId, a projectId and a roleId.');
    const a: RoleAssignment = {
      userId: requireId(assignment.userId, 'user'),
      projectId: requireId(assignment.projectId, 'project'),
      roleId: requireId(assignment.roleId, 'role'),
    };
    await this.getUserRow(a.userId);
    await this.getRole(a.roleId);
    const target = (await this.db.repo(ProjectSchema).findOneBy({ id: a.projectId })) ?? (await this.db.repo(DomainSchema).findOneBy({ id: a.projectId }));
    if (!target) throw new NotFound(`Could not find project: ${a.projectId}.`);
    return a;
  }

  /** Called after any change that can alter what an issued token grants. */
  protected changed(): void {}

  // ---- writes that must refuse duplicates

  protected async insertUnique<T extends ObjectLiteral>(schema: EntitySchema<T>, row: T, conflict: () => Conflict): Promise<void> {
    try {
      await this.db.repo(schema).insert(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict();
      throw err;
    }
  }

  private async saveUnique<T extends ObjectLiteral>(schema: EntitySchema<T>, key: Partial<T>, row: T, conflict: () => Conflict): Promise<void> {
    try {
      await this.db.repo(schema).update(key as never, row as never);
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict();
      throw err;
    }
  }

  /** Inserts `row` unless a row matching `where` exists; a concurrent insert of the same is fine. */
  protected async insertIfMissing<T extends ObjectLiteral>(schema: EntitySchema<T>, where: Partial<T>, row: T): Promise<T> {
    const repo = this.db.repo(schema);
    const existing = await repo.findOneBy(where as never);
    if (existing) return existing;
    try {
      await repo.insert(row);
      return row;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const raced = await repo.findOneBy(where as never);
      if (!raced) throw err;
      return raced;
    }
  }
}

function projectConflict(name: string): Conflict {
  return new Conflict(`Conflict occurred attempting to store project - it is not permitted to have two projects with the same name in the same domain : ${name}.`);
}

function userConflict(name: string): Conflict {
  return new Conflict(`Conflict occurred attempting to store user - a user named ${name} already exists in this domain.`);
}
