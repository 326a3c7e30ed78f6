import { LEGACY_POLICY_NAMES } from './legacy-policy-names.js';
import { DEFAULT_POLICY_RULES } from './rule-policy-engine.js';

/**
 * A policy.yaml listing every default rule, commented out, as `oslopolicy-sample-generator`
 * writes it: an operator uncomments and edits the lines to override, then points
 * `policyFile` at the result.
 */
export function renderPolicySample(): string {
  const lines = [
    '# Nubo policy: every rule with its default, commented out.',
    '# Uncomment a line and change its check string to override it; the rest keep their defaults.',
    '# Older names are accepted too and apply to the actions they stand for:',
    ...Object.entries(LEGACY_POLICY_NAMES).map(([old, current]) => `#   ${old} -> ${current.join(', ')}`),
    '',
  ];
  for (const [name, rule] of Object.entries(DEFAULT_POLICY_RULES)) {
    lines.push(`#${JSON.stringify(name)}: ${JSON.stringify(rule)}`);
  }
  return `${lines.join('\n')}\n`;
}
