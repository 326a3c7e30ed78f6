/**
 * A parsed oslo.policy rule. `check` nodes hold the `kind:match` pairs of the rule language
 * (`role:admin`, `rule:admin_api`, `project_id:%(project_id)s`, `'member':%(role)s`).
 */
export type PolicyRule =
  | { type: 'true' }
  | { type: 'false' }
  | { type: 'not'; rule: PolicyRule }
  | { type: 'and'; rules: PolicyRule[] }
  | { type: 'or'; rules: PolicyRule[] }
  | { type: 'check'; kind: string; match: string };

/** What a rule is evaluated against: the caller (credentials) and the resource (target). */
export interface PolicyEvaluation {
  credentials: Record<string, unknown>;
  target: Record<string, unknown>;
  /** Resolves `rule:NAME`; undefined for a rule that does not exist (which then denies). */
  resolveRule(name: string): PolicyRule | undefined;
}

/** Deep enough for any sane rule set; stops a rule that refers to itself from looping. */
const MAX_RULE_DEPTH = 50;

/** Evaluates `rule` as oslo.policy does. */
export function evaluateRule(rule: PolicyRule, ev: PolicyEvaluation, depth = 0): boolean {
  if (depth > MAX_RULE_DEPTH) return false;
  switch (rule.type) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'not':
      return !evaluateRule(rule.rule, ev, depth + 1);
    case 'and':
      return rule.rules.every((r) => evaluateRule(r, ev, depth + 1));
    case 'or':
      return rule.rules.some((r) => evaluateRule(r, ev, depth + 1));
    case 'check':
      return evaluateCheck(rule.kind, rule.match, ev, depth);
  }
}

function evaluateCheck(kind: string, match: string, ev: PolicyEvaluation, depth: number): boolean {
  if (kind === 'rule') {
    const named = ev.resolveRule(match);
    return named ? evaluateRule(named, ev, depth + 1) : false;
  }
  const value = interpolate(match, ev.target);
  if (value === undefined) return false;
  if (kind === 'role') {
    const roles = ev.credentials.roles;
    if (!Array.isArray(roles)) return false;
    const wanted = value.toLowerCase();
    return roles.some((r) => String(r).toLowerCase() === wanted);
  }
  const literal = parseLiteral(kind);
  if (literal !== undefined) return value === pythonStr(literal);
  return findInCredentials(ev.credentials, kind.split('.'), value);
}

/** `%(key)s` substitution from the target; undefined when a key is missing (the check fails). */
function interpolate(template: string, target: Record<string, unknown>): string | undefined {
  let missing = false;
  const out = template.replace(/%\(([^)]+)\)s/g, (_all, key: string) => {
    const v = lookup(target, key);
    if (v === undefined || v === null) {
      missing = true;
      return '';
    }
    return pythonStr(v);
  });
  return missing ? undefined : out;
}

/** A key with dots is first looked up as is (Keystone flattens targets), then as a path. */
function lookup(obj: Record<string, unknown>, key: string): unknown {
  if (key in obj) return obj[key];
  let cur: unknown = obj;
  for (const part of key.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function findInCredentials(creds: unknown, path: string[], value: string): boolean {
  if (path.length === 0) {
    if (Array.isArray(creds)) return creds.some((c) => pythonStr(c) === value);
    return creds !== undefined && creds !== null && pythonStr(creds) === value;
  }
  if (creds === null || typeof creds !== 'object') return false;
  if (Array.isArray(creds)) return creds.some((c) => findInCredentials(c, path, value));
  const [head, ...rest] = path;
  return findInCredentials((creds as Record<string, unknown>)[head!], rest, value);
}

/** The left side of a generic check as a Python literal (`'x'`, `True`, `42`), if it is one. */
function parseLiteral(kind: string): unknown {
  if (/^'.*'$/s.test(kind) || /^".*"$/s.test(kind)) return kind.slice(1, -1);
  if (kind === 'True') return true;
  if (kind === 'False') return false;
  if (kind === 'None') return null;
  if (/^-?\d+(\.\d+)?$/.test(kind)) return Number(kind);
  return undefined;
}

/** Python's `str()` of a value, so that `is_admin:True` matches a boolean true as in oslo. */
function pythonStr(v: unknown): string {
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null) return 'None';
  return String(v);
}
