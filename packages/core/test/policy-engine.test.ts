import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BadRequest, Forbidden, type RequestContext } from '@nubo/core';
import { ComputePolicy, IdentityPolicy, ImagePolicy, RulePolicyEngine } from '../src/policy/index.js';

const ctx = (roles: string[], projectId = 'p1', userId = 'u1'): RequestContext => ({
  requestId: 'req-1',
  userId,
  projectId,
  roles,
  isAdmin: roles.includes('admin'),
  authToken: null,
});

const admin = ctx(['admin'], 'admin-project', 'admin-user');
const member = ctx(['member']);
const reader = ctx(['reader']);
const nobody = ctx([]);

function tempFile(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'nubo-policy-')), name);
  writeFileSync(path, content);
  return path;
}

describe('RulePolicyEngine with Nova defaults', () => {
  const engine = new RulePolicyEngine();

  it('lets a project member create and act on servers of their own project only', () => {
    expect(engine.check(member, ComputePolicy.servers.create, { project_id: 'p1' })).toBe(true);
    expect(engine.check(member, ComputePolicy.servers.reboot, { project_id: 'p1' })).toBe(true);
    expect(engine.check(member, ComputePolicy.servers.delete, { project_id: 'p2' })).toBe(false);
    expect(engine.check(member, ComputePolicy.servers.show, { project_id: 'p2' })).toBe(false);
  });

  it('lets a reader read but not change', () => {
    expect(engine.check(reader, ComputePolicy.servers.show, { project_id: 'p1' })).toBe(true);
    expect(engine.check(reader, ComputePolicy.servers.index)).toBe(true);
    expect(engine.check(reader, ComputePolicy.servers.create, { project_id: 'p1' })).toBe(false);
    expect(engine.check(reader, ComputePolicy.pauseServer.pause, { project_id: 'p1' })).toBe(false);
  });

  it('treats admin as implying member and reader, and lets admin act on any project', () => {
    expect(engine.check(admin, ComputePolicy.servers.delete, { project_id: 'p9' })).toBe(true);
    expect(engine.check(admin, ComputePolicy.servers.indexAllTenants)).toBe(true);
    expect(engine.check(ctx(['ADMIN'], 'p1'), ComputePolicy.flavorManage.create)).toBe(true);
  });

  it('keeps admin-only actions from members', () => {
    for (const action of [
      ComputePolicy.flavorManage.create, ComputePolicy.flavorManage.delete, ComputePolicy.services.list,
      ComputePolicy.hypervisors.list, ComputePolicy.hypervisors.statistics, ComputePolicy.quotaSets.update,
      ComputePolicy.servers.indexAllTenants, ComputePolicy.simpleTenantUsage.list, ComputePolicy.availabilityZone.detail,
    ]) {
      expect(engine.check(member, action), action).toBe(false);
      expect(engine.check(admin, action), action).toBe(true);
    }
  });

  it('allows anyone to read limits, quota defaults and the availability zone list', () => {
    expect(engine.check(nobody, ComputePolicy.limits.show)).toBe(true);
    expect(engine.check(nobody, ComputePolicy.quotaSets.defaults)).toBe(true);
    expect(engine.check(nobody, ComputePolicy.availabilityZone.list)).toBe(true);
  });

  it('ties key pairs to their user', () => {
    expect(engine.check(member, ComputePolicy.keypairs.show, { user_id: 'u1' })).toBe(true);
    expect(engine.check(member, ComputePolicy.keypairs.show, { user_id: 'u2' })).toBe(false);
    expect(engine.check(admin, ComputePolicy.keypairs.delete, { user_id: 'u2' })).toBe(true);
  });

  it('uses the caller’s own project and user as the target when none is given', () => {
    expect(engine.check(member, ComputePolicy.servers.create)).toBe(true);
    expect(engine.check(member, ComputePolicy.keypairs.create)).toBe(true);
  });

  it('lets only an admin publicize an image, and an owner member modify it', () => {
    expect(engine.check(member, ImagePolicy.publicizeImage, { project_id: 'p1' })).toBe(false);
    expect(engine.check(admin, ImagePolicy.publicizeImage)).toBe(true);
    expect(engine.check(member, ImagePolicy.modifyImage, { project_id: 'p1' })).toBe(true);
    expect(engine.check(member, ImagePolicy.modifyImage, { project_id: 'p2' })).toBe(false);
  });

  it('guards identity management and lets users see themselves', () => {
    expect(engine.check(member, IdentityPolicy.createProject)).toBe(false);
    expect(engine.check(admin, IdentityPolicy.createProject)).toBe(true);
    expect(engine.check(member, IdentityPolicy.getUser, { 'target.user.id': 'u1' })).toBe(true);
    expect(engine.check(member, IdentityPolicy.getUser, { target: { user: { id: 'u2' } } })).toBe(false);
    expect(engine.check(member, IdentityPolicy.validateToken, { target: { token: { user_id: 'u1' } } })).toBe(true);
  });

  it('falls back to the admin-only default rule for an unknown action', () => {
    expect(engine.check(member, 'os_compute_api:os-something-new')).toBe(false);
    expect(engine.check(admin, 'os_compute_api:os-something-new')).toBe(true);
  });

  it('refuses with Nova’s message', () => {
    expect(() => engine.enforce(member, ComputePolicy.flavorManage.create)).toThrow(Forbidden);
    expect(() => engine.enforce(member, ComputePolicy.flavorManage.create)).toThrow(
      "Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed.",
    );
    expect(() => engine.enforce(member, ComputePolicy.servers.create)).not.toThrow();
  });

  it('accepts the seed’s older action names', () => {
    expect(engine.check(member, 'compute_extension:flavormanage')).toBe(false);
    expect(engine.check(admin, 'compute_extension:flavormanage')).toBe(true);
    expect(engine.check(member, 'compute:create')).toBe(true);
    expect(() => engine.enforce(member, 'compute_extension:flavormanage')).toThrow(
      "Policy doesn't allow compute_extension:flavormanage to be performed.",
    );
    expect(engine.ruleText('compute_extension:flavormanage')).toBe('rule:context_is_admin');
  });
});

describe('RulePolicyEngine overrides', () => {
  it('merges a JSON file over the defaults', () => {
    const file = tempFile('policy.json', JSON.stringify({ 'os_compute_api:servers:create': 'role:builder' }));
    const engine = new RulePolicyEngine({ policyFile: file });
    expect(engine.check(member, ComputePolicy.servers.create)).toBe(false);
    expect(engine.check(ctx(['builder']), ComputePolicy.servers.create)).toBe(true);
    expect(engine.check(member, ComputePolicy.servers.delete)).toBe(true);
  });

  it('reads a YAML file with comments, as oslopolicy-sample-generator writes', () => {
    const file = tempFile('policy.yaml', '# operators may manage flavors\n"os_compute_api:os-flavor-manage:create": "role:admin or role:operator"\n');
    const engine = new RulePolicyEngine({ policyFile: file });
    expect(engine.check(ctx(['operator']), ComputePolicy.flavorManage.create)).toBe(true);
    expect(engine.check(ctx(['operator']), ComputePolicy.flavorManage.delete)).toBe(false);
  });

  it('applies an override under the seed’s old name to the actions it stands for', () => {
    const engine = new RulePolicyEngine({ rules: { 'compute_extension:flavormanage': 'role:operator' } });
    const operator = ctx(['operator']);
    expect(engine.check(operator, ComputePolicy.flavorManage.create)).toBe(true);
    expect(engine.check(operator, ComputePolicy.flavorManage.delete)).toBe(true);
    expect(engine.check(admin, ComputePolicy.flavorManage.create)).toBe(false);
  });

  it('lets a current name override win over an old name in the same file', () => {
    const engine = new RulePolicyEngine({
      rules: { 'compute_extension:flavormanage': 'role:operator', 'os_compute_api:os-flavor-manage:delete': '!' },
    });
    expect(engine.check(ctx(['operator']), ComputePolicy.flavorManage.create)).toBe(true);
    expect(engine.check(ctx(['operator']), ComputePolicy.flavorManage.delete)).toBe(false);
  });

  it('changes what every rule referring to a base rule means', () => {
    const engine = new RulePolicyEngine({ rules: { context_is_admin: 'role:cloud_admin' } });
    expect(engine.check(admin, ComputePolicy.services.list)).toBe(false);
    expect(engine.check(ctx(['cloud_admin']), ComputePolicy.services.list)).toBe(true);
  });

  it('accepts the legacy list-of-lists form', () => {
    const engine = new RulePolicyEngine({ rules: { 'os_compute_api:os-services:list': [['role:ops', 'project_id:%(project_id)s'], ['role:admin']] } });
    expect(engine.check(ctx(['ops']), ComputePolicy.services.list, { project_id: 'p1' })).toBe(true);
    expect(engine.check(ctx(['ops']), ComputePolicy.services.list, { project_id: 'p2' })).toBe(false);
    expect(engine.check(admin, ComputePolicy.services.list)).toBe(true);
  });

  it('refuses a broken file at start with a message naming the problem', () => {
    expect(() => new RulePolicyEngine({ policyFile: tempFile('p.json', '{ nope') })).toThrow(BadRequest);
    expect(() => new RulePolicyEngine({ policyFile: tempFile('p.yaml', 'a: "role:admin and"') })).toThrow(/Policy rule "a"/);
    expect(() => new RulePolicyEngine({ policyFile: tempFile('p.yaml', 'a: 12') })).toThrow(/must be a check string/);
    expect(() => new RulePolicyEngine({ policyFile: '/nonexistent/policy.yaml' })).toThrow(/cannot be read/);
  });

  it('an empty rule allows everyone and "!" no one', () => {
    const engine = new RulePolicyEngine({ rules: { a: '', b: '!', c: '@' } });
    expect(engine.check(nobody, 'a')).toBe(true);
    expect(engine.check(admin, 'b')).toBe(false);
    expect(engine.check(nobody, 'c')).toBe(true);
  });
});

describe('renderPolicySample', () => {
  it('writes every default, commented out, in a file that reads back to the same rules', async () => {
    const { renderPolicySample, DEFAULT_POLICY_RULES } = await import('../src/policy/index.js');
    const sample = renderPolicySample();
    const file = tempFile('policy.yaml', sample);
    const untouched = new RulePolicyEngine({ policyFile: file });
    expect(untouched.check(member, ComputePolicy.flavorManage.create)).toBe(false);
    const uncommented = sample.split('\n').map((l) => (l.startsWith('#"') ? l.slice(1) : l)).join('\n');
    const engine = new RulePolicyEngine({ policyFile: tempFile('policy.yaml', uncommented) });
    for (const [name, rule] of Object.entries(DEFAULT_POLICY_RULES)) expect(engine.ruleText(name), name).toBe(rule);
    expect(sample).toContain('#"os_compute_api:servers:create": "rule:project_member_or_admin"');
  });
});
