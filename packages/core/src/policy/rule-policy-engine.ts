import { Forbidden } from '../errors.js';
import type { RequestContext } from '../model/request-context.js';
import type { PolicyEngine, PolicyTarget } from '../ports/policy-engine.js';
import { BASE_POLICY_RULES } from './base-policies.js';
import { COMPUTE_DEFAULT_RULES } from './compute-policies.js';
import { IDENTITY_DEFAULT_RULES } from './identity-policies.js';
import { IMAGE_DEFAULT_RULES } from './image-policies.js';
import { LEGACY_POLICY_NAMES } from './legacy-policy-names.js';
import { readPolicyFile, type PolicyRuleSource } from './policy-file.js';
import { parsePolicyRule } from './policy-rule-parser.js';
import { evaluateRule, type PolicyRule } from './policy-rule.js';

export interface RulePolicyEngineOptions {
  /** A JSON or YAML file of overrides, merged over the defaults (oslo.policy's `policy_file`). */
  policyFile?: string;
  /** Overrides given in code, applied after the file's. */
  rules?: Record<string, PolicyRuleSource>;
  /**
   * Roles that imply others, as Keystone's implied roles do; applied to the caller's roles
   * before checking. Defaults to admin → member → reader.
   */
  impliedRoles?: Record<string, readonly string[]>;
}

/** Every default rule: the base rules and the compute, identity and image actions. */
export const DEFAULT_POLICY_RULES: Readonly<Record<string, string>> = {
  ...BASE_POLICY_RULES,
  ...COMPUTE_DEFAULT_RULES,
  ...IDENTITY_DEFAULT_RULES,
  ...IMAGE_DEFAULT_RULES,
};

const DEFAULT_IMPLIED_ROLES: Record<string, readonly string[]> = { admin: ['member'], member: ['reader'] };

/**
 * The oslo.policy-compatible engine: Nova's (and Keystone's, Glance's) default rules, overridden
 * per name from a policy file. An action without a rule falls back to the `default` rule;
 * the seed's older names (`compute_extension:flavormanage`, `compute:create`, …) are accepted
 * both when enforcing and in override files.
 */
export class RulePolicyEngine implements PolicyEngine {
  private rules = new Map<string, PolicyRule>();
  private sources = new Map<string, string>();
  private readonly implied: Record<string, readonly string[]>;

  /** Reads and parses the policy file now: a broken file fails at start, not at the first request. */
  constructor(private readonly options: RulePolicyEngineOptions = {}) {
    this.implied = options.impliedRoles ?? DEFAULT_IMPLIED_ROLES;
    this.reload();
  }

  /** Re-reads the policy file (after an operator edited it). Keeps the old rules if it is broken. */
  reload(): void {
    const overrides = { ...(this.options.policyFile ? readPolicyFile(this.options.policyFile) : {}), ...this.options.rules };
    const merged = new Map<string, PolicyRuleSource>(Object.entries(DEFAULT_POLICY_RULES));
    for (const [name, rule] of Object.entries(overrides)) {
      const targets = LEGACY_POLICY_NAMES[name];
      if (!targets) continue;
      for (const current of targets) if (!(current in overrides)) merged.set(current, rule);
    }
    for (const [name, rule] of Object.entries(overrides)) {
      if (!LEGACY_POLICY_NAMES[name]) merged.set(name, rule);
    }
    const rules = new Map<string, PolicyRule>();
    const sources = new Map<string, string>();
    for (const [name, source] of merged) {
      rules.set(name, parsePolicyRule(source, name));
      sources.set(name, typeof source === 'string' ? source : JSON.stringify(source));
    }
    this.rules = rules;
    this.sources = sources;
  }

  check(ctx: RequestContext, action: string, target?: PolicyTarget): boolean {
    const rule = this.ruleFor(action) ?? this.rules.get('default');
    if (!rule) return false;
    return evaluateRule(rule, {
      credentials: this.credentialsOf(ctx),
      target: target ?? { project_id: ctx.projectId, user_id: ctx.userId },
      resolveRule: (name) => this.ruleFor(name),
    });
  }

  enforce(ctx: RequestContext, action: string, target?: PolicyTarget): void {
    if (!this.check(ctx, action, target)) {
      throw new Forbidden(`Policy doesn't allow ${action} to be performed.`);
    }
  }

  /** The check string in force for `action` (after overrides), or undefined if it has none. */
  ruleText(action: string): string | undefined {
    return this.sources.get(action) ?? this.sources.get(LEGACY_POLICY_NAMES[action]?.[0] ?? '');
  }

  /** Every rule and action name the engine knows. */
  names(): string[] {
    return [...this.rules.keys()];
  }

  private ruleFor(name: string): PolicyRule | undefined {
    const direct = this.rules.get(name);
    if (direct) return direct;
    const current = LEGACY_POLICY_NAMES[name]?.[0];
    return current ? this.rules.get(current) : undefined;
  }

  private credentialsOf(ctx: RequestContext): Record<string, unknown> {
    return {
      user_id: ctx.userId,
      project_id: ctx.projectId,
      tenant: ctx.projectId,
      roles: this.expandRoles(ctx.roles),
      is_admin: ctx.isAdmin,
    };
  }

  private expandRoles(roles: readonly string[]): string[] {
    const out = new Set<string>();
    const visit = (role: string) => {
      const key = role.toLowerCase();
      if (out.has(key)) return;
      out.add(key);
      for (const next of this.implied[key] ?? []) visit(next);
    };
    roles.forEach(visit);
    return [...out];
  }
}
