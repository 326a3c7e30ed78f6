import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Forbidden, type RequestContext } from '@nubo/core';
import { Database } from '../src/persistence/index.js';
import { ComputePolicy, RulePolicyEngine } from '../src/policy/index.js';
import { BuiltinIdentityProvider } from '../src/services/identity/index.js';

describe('policy over contexts from real tokens', () => {
  let dir: string;
  let db: Database;
  let admin: RequestContext;
  let member: RequestContext;
  let reader: RequestContext;
  let demoId: string;
  const policy = new RulePolicyEngine();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nubo-policy-identity-'));
    db = await new Database({ url: `sqlite:${join(dir, 'nubo.db')}` }).open();
    const identity = new BuiltinIdentityProvider(db, { passwordHashCost: 10 });
    const boot = await identity.bootstrap({ adminUser: 'admin', adminPassword: 'pw', adminProject: 'admin' });
    const demo = await identity.createProject({ name: 'demo' });
    demoId = demo.id;
    for (const [name, role] of [['mia', 'member'], ['rex', 'reader']] as const) {
      const user = await identity.createUser({ name, password: 'pw' });
      await identity.assignRole({ userId: user.id, projectId: demo.id, roleId: boot.roleIds[role] });
    }
    const login = async (name: string, project: string) =>
      identity.contextFor(await identity.authenticatePassword({ user: { name }, password: 'pw' }, { project: { name: project } }), `req-${name}`);
    admin = await login('admin', 'admin');
    member = await login('mia', 'demo');
    reader = await login('rex', 'demo');
  });

  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets the member boot servers in the demo project and the reader only look', () => {
    expect(policy.check(member, ComputePolicy.servers.create, { project_id: demoId })).toBe(true);
    expect(policy.check(reader, ComputePolicy.servers.index, { project_id: demoId })).toBe(true);
    expect(() => policy.enforce(reader, ComputePolicy.servers.create, { project_id: demoId })).toThrow(
      new Forbidden("Policy doesn't allow os_compute_api:servers:create to be performed."),
    );
  });

  it('keeps the demo project out of the admin project', () => {
    expect(policy.check(member, ComputePolicy.servers.show, { project_id: admin.projectId })).toBe(false);
  });

  it('lets the bootstrapped admin manage flavors and see every project, and nobody else', () => {
    expect(admin.isAdmin).toBe(true);
    expect(policy.check(admin, ComputePolicy.flavorManage.create)).toBe(true);
    expect(policy.check(admin, ComputePolicy.servers.delete, { project_id: demoId })).toBe(true);
    expect(policy.check(member, ComputePolicy.flavorManage.create)).toBe(false);
    expect(policy.check(member, 'compute_extension:flavormanage')).toBe(false);
  });
});
