import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BadRequest, Conflict, NotFound, Unauthorized } from '@nubo/core';
import { Database, ProjectSchema, TokenSchema, UserSchema } from '../src/persistence/index.js';
import { BuiltinIdentityProvider } from '../src/services/identity/index.js';

let dir: string;
let db: Database;
let clock: Date;
let identity: BuiltinIdentityProvider;

const ADMIN = { adminUser: 'admin', adminPassword: 's3cret', adminProject: 'admin' };
const adminCreds = (password = 's3cret') => ({ user: { name: 'admin', domainName: 'Default' }, password });
const adminScope = { project: { name: 'admin', domainName: 'Default' } };

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nubo-identity-'));
  db = await new Database({ url: `sqlite:${join(dir, 'nubo.db')}` }).open();
  clock = new Date('2026-01-01T00:00:00Z');
  identity = new BuiltinIdentityProvider(db, { passwordHashCost: 10, now: () => clock });
});

afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function memberOf(projectName: string, userName: string, role = 'member') {
  const project = await identity.createProject({ name: projectName });
  const user = await identity.createUser({ name: userName, password: 'pw-' + userName });
  const roleId = (await identity.listRoles()).find((r) => r.name === role)!.id;
  await identity.assignRole({ userId: user.id, projectId: project.id, roleId });
  return { project, user, roleId };
}

describe('bootstrap', () => {
  it('creates the Default domain, the three roles and an admin who can log in as admin', async () => {
    const boot = await identity.bootstrap(ADMIN);
    expect((await identity.listDomains()).map((d) => [d.id, d.name])).toEqual([['default', 'Default']]);
    expect((await identity.listRoles()).map((r) => r.name)).toEqual(['admin', 'member', 'reader']);
    const info = await identity.authenticatePassword(adminCreds(), adminScope);
    expect(info.userId).toBe(boot.userId);
    expect(info.projectId).toBe(boot.projectId);
    expect(info.projectName).toBe('admin');
    expect(info.roles.map((r) => r.name)).toEqual(['admin', 'member', 'reader']);
    const ctx = identity.contextFor(info, 'req-1');
    expect(ctx).toEqual({ requestId: 'req-1', userId: boot.userId, projectId: boot.projectId, roles: ['admin', 'member', 'reader'], isAdmin: true, authToken: info.token });
    expect(boot.region).toBe('RegionOne');
  });

  it('is idempotent and keeps the password of the first run', async () => {
    const first = await identity.bootstrap(ADMIN);
    const second = await identity.bootstrap({ ...ADMIN, adminPassword: 'changed' });
    expect(second).toEqual(first);
    expect(await identity.listUsers()).toHaveLength(1);
    expect(await identity.listProjects()).toHaveLength(1);
    expect(await identity.listRoleAssignments()).toHaveLength(2);
    await expect(identity.authenticatePassword(adminCreds(), adminScope)).resolves.toBeTruthy();
    await expect(identity.authenticatePassword(adminCreds('changed'), adminScope)).rejects.toThrow(Unauthorized);
  });

  it('ends in the same state when two processes bootstrap at once', async () => {
    const other = new BuiltinIdentityProvider(db, { passwordHashCost: 10 });
    const [a, b] = await Promise.all([identity.bootstrap(ADMIN), other.bootstrap(ADMIN)]);
    expect(b).toEqual(a);
    expect(await identity.listUsers()).toHaveLength(1);
    expect(await identity.listRoles()).toHaveLength(3);
  });

  it('gives the admin a domain-scoped token on Default', async () => {
    await identity.bootstrap(ADMIN);
    const info = await identity.authenticatePassword(adminCreds(), { domain: { name: 'Default' } });
    expect(info.domainId).toBe('default');
    expect(info.projectId).toBeNull();
    expect(info.roles.map((r) => r.name)).toContain('admin');
  });
});

describe('password authentication', () => {
  beforeEach(() => identity.bootstrap(ADMIN));

  it('refuses a wrong password and an unknown user alike, with Keystone’s message', async () => {
    await expect(identity.authenticatePassword(adminCreds('wrong'), adminScope)).rejects.toThrow(
      new Unauthorized('The request you have made requires authentication.'),
    );
    await expect(identity.authenticatePassword({ user: { name: 'ghost', domainName: 'Default' }, password: 'x' }, adminScope)).rejects.toThrow(
      new Unauthorized('The request you have made requires authentication.'),
    );
    await expect(identity.authenticatePassword({ user: { name: 'admin', domainName: 'Nowhere' }, password: 's3cret' }, adminScope)).rejects.toThrow(Unauthorized);
  });

  it('accepts the user by id and the project by id', async () => {
    const [user] = await identity.listUsers({ name: 'admin' });
    const [project] = await identity.listProjects({ name: 'admin' });
    const info = await identity.authenticatePassword({ user: { id: user!.id }, password: 's3cret' }, { project: { id: project!.id } });
    expect(info.projectId).toBe(project!.id);
  });

  it('stores salted scrypt hashes, never the password', async () => {
    const a = await identity.createUser({ name: 'a', password: 'same' });
    const b = await identity.createUser({ name: 'b', password: 'same' });
    const rows = await db.repo(UserSchema).findBy({});
    const hashOf = (id: string) => rows.find((r) => r.id === id)!.passwordHash;
    expect(hashOf(a.id)).toMatch(/^scrypt\$/);
    expect(hashOf(a.id)).not.toContain('same');
    expect(hashOf(a.id)).not.toBe(hashOf(b.id));
  });

  it('gives a member the member and reader roles, not admin', async () => {
    await memberOf('demo', 'alice');
    const info = await identity.authenticatePassword({ user: { name: 'alice', domainId: 'default' }, password: 'pw-alice' }, { project: { name: 'demo', domainId: 'default' } });
    expect(info.roles.map((r) => r.name)).toEqual(['member', 'reader']);
    expect(identity.contextFor(info, 'r').isAdmin).toBe(false);
  });

  it('refuses a project the user has no role on, a disabled project and a disabled user', async () => {
    const { project } = await memberOf('demo', 'alice');
    await identity.createProject({ name: 'other' });
    const alice = { user: { name: 'alice' }, password: 'pw-alice' };
    await expect(identity.authenticatePassword(alice, { project: { name: 'other' } })).rejects.toThrow(Unauthorized);
    await expect(identity.authenticatePassword(alice, { domain: { id: 'default' } })).rejects.toThrow(Unauthorized);
    await identity.updateProject(project.id, { enabled: false });
    await expect(identity.authenticatePassword(alice, { project: { id: project.id } })).rejects.toThrow(Unauthorized);
    await identity.updateProject(project.id, { enabled: true });
    const [user] = await identity.listUsers({ name: 'alice' });
    await identity.updateUser(user!.id, { enabled: false });
    await expect(identity.authenticatePassword(alice, { project: { id: project.id } })).rejects.toThrow(Unauthorized);
  });

  it('issues an unscoped token, or one scoped to the default project when the user has a role there', async () => {
    await identity.createUser({ name: 'loner', password: 'pw' });
    const unscoped = await identity.authenticatePassword({ user: { name: 'loner' }, password: 'pw' }, null);
    expect(unscoped.projectId).toBeNull();
    expect(unscoped.roles).toEqual([]);
    expect(identity.contextFor(unscoped, 'r').isAdmin).toBe(false);
    const defaulted = await identity.authenticatePassword(adminCreds(), null);
    expect(defaulted.projectName).toBe('admin');
  });

  it('rejects malformed credentials as bad requests', async () => {
    await expect(identity.authenticatePassword({ user: {}, password: 'x' }, null)).rejects.toThrow(BadRequest);
    await expect(identity.authenticatePassword({ user: { name: 'admin' } } as never, null)).rejects.toThrow(BadRequest);
    await expect(identity.authenticatePassword(adminCreds(), { project: {} })).rejects.toThrow(BadRequest);
  });
});

describe('tokens', () => {
  beforeEach(() => identity.bootstrap(ADMIN));

  it('are opaque url-safe random strings stored only as their SHA-256', async () => {
    const info = await identity.authenticatePassword(adminCreds(), adminScope);
    expect(info.token).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    const rows = await db.repo(TokenSchema).findBy({});
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(createHash('sha256').update(info.token).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(info.token);
  });

  it('validate to the same user, scope and roles until they expire an hour later', async () => {
    const info = await identity.authenticatePassword(adminCreds(), adminScope);
    expect(info.expiresAt.getTime() - info.issuedAt.getTime()).toBe(3600_000);
    const again = await identity.validateToken(info.token);
    expect(again).toMatchObject({ userId: info.userId, projectId: info.projectId, methods: ['password'] });
    expect(again.roles).toEqual(info.roles);
    clock = new Date(clock.getTime() + 3600_000);
    await expect(identity.validateToken(info.token)).rejects.toThrow(Unauthorized);
  });

  it('are flushed from the database once expired', async () => {
    const old = await identity.authenticatePassword(adminCreds(), adminScope);
    clock = new Date(clock.getTime() + 3000_000);
    const fresh = await identity.authenticatePassword(adminCreds(), adminScope);
    clock = new Date(clock.getTime() + 600_000);
    expect(await identity.flushExpiredTokens()).toBe(1);
    expect(await db.repo(TokenSchema).count()).toBe(1);
    await expect(identity.validateToken(old.token)).rejects.toThrow(Unauthorized);
    await expect(identity.validateToken(fresh.token)).resolves.toMatchObject({ userId: fresh.userId });
  });

  it('revoked by another process stop working within the validation cache time', async () => {
    const otherProcess = new BuiltinIdentityProvider(db, { passwordHashCost: 10, now: () => clock });
    const uncached = new BuiltinIdentityProvider(db, { passwordHashCost: 10, now: () => clock, validationCacheSeconds: 0 });
    const info = await identity.authenticatePassword(adminCreds(), adminScope);
    await identity.validateToken(info.token);
    await uncached.validateToken(info.token);
    await otherProcess.revokeToken(info.token);
    await expect(uncached.validateToken(info.token)).rejects.toThrow(Unauthorized);
    clock = new Date(clock.getTime() + 5000);
    await expect(identity.validateToken(info.token)).rejects.toThrow(Unauthorized);
  });

  it('honour a configured lifetime', async () => {
    const short = new BuiltinIdentityProvider(db, { tokenTtlSeconds: 60, passwordHashCost: 10, now: () => clock });
    const info = await short.authenticatePassword(adminCreds(), adminScope);
    expect(info.expiresAt.getTime() - info.issuedAt.getTime()).toBe(60_000);
  });

  it('refuse a nonsensical configuration', () => {
    expect(() => new BuiltinIdentityProvider(db, { tokenTtlSeconds: 0 })).toThrow(BadRequest);
    expect(() => new BuiltinIdentityProvider(db, { passwordHashCost: 64 })).toThrow(BadRequest);
  });

  it('refuse garbage', async () => {
    await expect(identity.validateToken('not-a-token')).rejects.toThrow(Unauthorized);
    await expect(identity.validateToken('')).rejects.toThrow(Unauthorized);
  });

  it('re-scope with the token method, keeping the original expiry', async () => {
    const { project } = await memberOf('demo', 'bob');
    const unscoped = await identity.authenticatePassword({ user: { name: 'bob' }, password: 'pw-bob' }, null);
    clock = new Date(clock.getTime() + 60_000);
    const scoped = await identity.authenticateToken(unscoped.token, { project: { id: project.id } });
    expect(scoped.projectId).toBe(project.id);
    expect(scoped.expiresAt).toEqual(unscoped.expiresAt);
    expect(scoped.methods).toEqual(['password', 'token']);
    expect(scoped.token).not.toBe(unscoped.token);
  });

  it('once revoked are refused, and so are the tokens re-scoped from them', async () => {
    const unscoped = await identity.authenticatePassword(adminCreds(), { domain: { id: 'default' } });
    const child = await identity.authenticateToken(unscoped.token, adminScope);
    const grandchild = await identity.authenticateToken(child.token, { domain: { id: 'default' } });
    const unrelated = await identity.authenticatePassword(adminCreds(), adminScope);
    await identity.revokeToken(unscoped.token);
    for (const t of [unscoped, child, grandchild]) await expect(identity.validateToken(t.token)).rejects.toThrow(Unauthorized);
    await expect(identity.validateToken(unrelated.token)).resolves.toBeTruthy();
    await expect(identity.revokeToken(unscoped.token)).rejects.toThrow(NotFound);
    await expect(identity.revokeToken('nope')).rejects.toThrow(NotFound);
  });

  it('stop working when the role, the user or the password goes', async () => {
    const { project, user, roleId } = await memberOf('demo', 'carol');
    const creds = { user: { name: 'carol' }, password: 'pw-carol' };
    const t1 = await identity.authenticatePassword(creds, { project: { id: project.id } });
    await identity.unassignRole({ userId: user.id, projectId: project.id, roleId });
    await expect(identity.validateToken(t1.token)).rejects.toThrow(Unauthorized);

    await identity.assignRole({ userId: user.id, projectId: project.id, roleId });
    const t2 = await identity.authenticatePassword(creds, { project: { id: project.id } });
    await identity.updateUser(user.id, { password: 'new-pw' });
    await expect(identity.validateToken(t2.token)).rejects.toThrow(Unauthorized);

    const t3 = await identity.authenticatePassword({ ...creds, password: 'new-pw' }, { project: { id: project.id } });
    await identity.deleteUser(user.id);
    await expect(identity.validateToken(t3.token)).rejects.toThrow(Unauthorized);
  });
});

describe('directory', () => {
  beforeEach(() => identity.bootstrap(ADMIN));

  it('creates, lists, updates and deletes projects', async () => {
    const p = await identity.createProject({ name: 'demo', description: 'Demo' });
    expect(p).toMatchObject({ name: 'demo', domainId: 'default', description: 'Demo', enabled: true });
    expect(p.id).toMatch(/^[0-9a-f]{32}$/);
    expect((await identity.listProjects()).map((x) => x.name)).toEqual(['admin', 'demo']);
    expect(await identity.updateProject(p.id, { name: 'demo2' })).toMatchObject({ name: 'demo2' });
    await identity.deleteProject(p.id);
    await expect(identity.getProject(p.id)).rejects.toThrow(new NotFound(`Could not find project: ${p.id}.`));
  });

  it('refuses a second project or user or role with the same name', async () => {
    const p = await identity.createProject({ name: 'demo' });
    await expect(identity.createProject({ name: 'demo' })).rejects.toThrow(Conflict);
    const other = await identity.createProject({ name: 'other' });
    await expect(identity.updateProject(other.id, { name: 'demo' })).rejects.toThrow(Conflict);
    await identity.createUser({ name: 'dave', password: 'x', defaultProjectId: p.id });
    await expect(identity.createUser({ name: 'dave', password: 'y' })).rejects.toThrow(Conflict);
    await expect(identity.createRole('member')).rejects.toThrow(Conflict);
    expect((await identity.createRole('operator')).name).toBe('operator');
  });

  it('rejects bad input and writes nothing', async () => {
    const before = { projects: await db.repo(ProjectSchema).count(), users: await db.repo(UserSchema).count() };
    await expect(identity.createProject({ name: '' })).rejects.toThrow(BadRequest);
    await expect(identity.createProject({ name: 'x'.repeat(65) })).rejects.toThrow(BadRequest);
    await expect(identity.createProject({ name: 'ok', description: 'd'.repeat(2000) })).rejects.toThrow(BadRequest);
    await expect(identity.createProject({ name: 42 as never })).rejects.toThrow(BadRequest);
    await expect(identity.createProject({ name: 'ok', enabled: 'yes' as never })).rejects.toThrow(BadRequest);
    await expect(identity.createUser({ name: 'eve', password: '' })).rejects.toThrow(BadRequest);
    await expect(identity.createUser({ name: 'u'.repeat(256), password: 'x' })).rejects.toThrow(BadRequest);
    await expect(identity.createUser({ name: 'eve', password: 'x', defaultProjectId: 'nope' })).rejects.toThrow(NotFound);
    await expect(identity.createProject({ name: 'ok', domainId: 'nope' })).rejects.toThrow(NotFound);
    await expect(identity.createRole('  ')).rejects.toThrow(BadRequest);
    expect(await db.repo(ProjectSchema).count()).toBe(before.projects);
    expect(await db.repo(UserSchema).count()).toBe(before.users);
  });

  it('answers NotFound for unknown ids', async () => {
    const { project, user, roleId } = await memberOf('demo', 'frank');
    await expect(identity.getUser('nope')).rejects.toThrow(NotFound);
    await expect(identity.deleteProject('nope')).rejects.toThrow(NotFound);
    await expect(identity.updateUser('nope', { enabled: false })).rejects.toThrow(NotFound);
    await expect(identity.assignRole({ userId: 'nope', projectId: project.id, roleId })).rejects.toThrow(NotFound);
    await expect(identity.assignRole({ userId: user.id, projectId: 'nope', roleId })).rejects.toThrow(NotFound);
    await expect(identity.assignRole({ userId: user.id, projectId: project.id, roleId: 'nope' })).rejects.toThrow(NotFound);
    const reader = (await identity.listRoles()).find((r) => r.name === 'reader')!;
    await expect(identity.unassignRole({ userId: user.id, projectId: project.id, roleId: reader.id })).rejects.toThrow(NotFound);
  });

  it('lists role assignments and the projects a user can scope to', async () => {
    const { project, user, roleId } = await memberOf('demo', 'gina');
    await identity.assignRole({ userId: user.id, projectId: project.id, roleId });
    expect(await identity.listRoleAssignments({ userId: user.id })).toEqual([{ userId: user.id, projectId: project.id, roleId }]);
    expect((await identity.listUserProjects(user.id)).map((p) => p.name)).toEqual(['demo']);
    await identity.deleteProject(project.id);
    expect(await identity.listRoleAssignments({ userId: user.id })).toEqual([]);
  });
});
