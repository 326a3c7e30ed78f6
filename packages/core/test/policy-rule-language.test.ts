import { describe, expect, it } from 'vitest';
import { BadRequest } from '@nubo/core';
import { evaluateRule, parsePolicyRule } from '../src/policy/index.js';

function allows(rule: string, credentials: Record<string, unknown>, target: Record<string, unknown> = {}, named: Record<string, string> = {}): boolean {
  return evaluateRule(parsePolicyRule(rule), {
    credentials,
    target,
    resolveRule: (name) => (name in named ? parsePolicyRule(named[name]) : undefined),
  });
}

describe('the oslo.policy rule language', () => {
  const member = { roles: ['member'], project_id: 'p1', user_id: 'u1', is_admin: false };
  const admin = { roles: ['admin'], project_id: 'p0', user_id: 'u0', is_admin: true };

  it('checks roles case-insensitively', () => {
    expect(allows('role:Member', member)).toBe(true);
    expect(allows('role:admin', member)).toBe(false);
  });

  it('substitutes the target into generic checks', () => {
    expect(allows('project_id:%(project_id)s', member, { project_id: 'p1' })).toBe(true);
    expect(allows('project_id:%(project_id)s', member, { project_id: 'p2' })).toBe(false);
    expect(allows('project_id:%(project_id)s', member, {})).toBe(false);
  });

  it('compares is_admin:True with a boolean as Python would', () => {
    expect(allows('is_admin:True', admin)).toBe(true);
    expect(allows('is_admin:True', member)).toBe(false);
    expect(allows('is_admin:False', member)).toBe(true);
  });

  it('compares a quoted literal on the left with the target', () => {
    expect(allows("'public':%(visibility)s", member, { visibility: 'public' })).toBe(true);
    expect(allows("'public':%(visibility)s", member, { visibility: 'private' })).toBe(false);
  });

  it('follows rule: references and denies an unknown one', () => {
    expect(allows('rule:owner', member, { project_id: 'p1' }, { owner: 'project_id:%(project_id)s' })).toBe(true);
    expect(allows('rule:missing', admin)).toBe(false);
  });

  it('does not loop on a rule that refers to itself', () => {
    expect(allows('rule:loop', admin, {}, { loop: 'rule:loop or !' })).toBe(false);
  });

  it('gives not precedence over and, and and over or', () => {
    expect(allows('role:admin or role:member and project_id:%(project_id)s', member, { project_id: 'p2' })).toBe(false);
    expect(allows('role:admin or role:member and project_id:%(project_id)s', admin, { project_id: 'p2' })).toBe(true);
    expect(allows('not role:admin and role:member', member)).toBe(true);
    expect(allows('not (role:admin or role:member)', member)).toBe(false);
    expect(allows('(role:admin or role:member) and project_id:%(project_id)s', member, { project_id: 'p1' })).toBe(true);
  });

  it('handles parentheses stuck to checks, including %(x)s)', () => {
    expect(allows('(role:reader or (role:member and project_id:%(project_id)s))', member, { project_id: 'p1' })).toBe(true);
  });

  it('reads nested credentials with dotted names and lists', () => {
    expect(allows('token.roles:member', { token: { roles: ['reader', 'member'] } })).toBe(true);
  });

  it('rejects malformed rules with BadRequest', () => {
    for (const bad of ['role:admin and', '(role:admin', 'role:admin)', 'admin', 'role:a role:b', 'or role:a']) {
      expect(() => parsePolicyRule(bad, 'x'), bad).toThrow(BadRequest);
    }
  });
});
