import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { BadRequest } from '../errors.js';

/** A policy file's content: action or rule name → check string (or oslo's legacy list form). */
export type PolicyRuleSource = string | string[][];

/**
 * Reads an oslo.policy override file: JSON (`policy.json`) or YAML (`policy.yaml`, the format
 * oslopolicy-sample-generator writes). Throws `BadRequest` naming the file when it cannot be
 * read or is not a mapping of names to rules.
 */
export function readPolicyFile(path: string): Record<string, PolicyRuleSource> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new BadRequest(`Policy file ${path} cannot be read: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    data = path.toLowerCase().endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new BadRequest(`Policy file ${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new BadRequest(`Policy file ${path} must be a mapping of rule names to check strings.`);
  }
  for (const [name, rule] of Object.entries(data)) {
    if (typeof rule !== 'string' && !Array.isArray(rule)) {
      throw new BadRequest(`Policy file ${path}: rule "${name}" must be a check string such as "role:admin".`);
    }
  }
  return data as Record<string, PolicyRuleSource>;
}
