import { BadRequest } from '../errors.js';
import type { PolicyRule } from './policy-rule.js';

type Token = { t: '(' | ')' | 'and' | 'or' | 'not' } | { t: 'rule'; rule: PolicyRule };

/**
 * Parses the oslo.policy rule language: `@` (anyone), `!` (no one), `kind:match` checks,
 * `and`, `or`, `not` and parentheses, with `not` binding tighter than `and`, and `and`
 * tighter than `or`. The empty string allows everyone, as in oslo.policy.
 * Also accepts the legacy list form: a list of lists is an `or` of `and`s.
 * Throws `BadRequest` naming the rule when the text does not parse.
 */
export function parsePolicyRule(source: string | string[][] | unknown, name = 'rule'): PolicyRule {
  if (Array.isArray(source)) return parseLegacyList(source, name);
  if (typeof source !== 'string') {
    throw new BadRequest(`Policy rule "${name}" must be a string, got ${typeof source}.`);
  }
  const tokens = tokenize(source, name);
  if (tokens.length === 0) return { type: 'true' };
  const parser = new Parser(tokens, source, name);
  const rule = parser.parseOr();
  parser.expectEnd();
  return rule;
}

function parseLegacyList(list: unknown[], name: string): PolicyRule {
  if (list.length === 0) return { type: 'true' };
  const alternatives = list.map((inner) => {
    if (!Array.isArray(inner) || inner.some((s) => typeof s !== 'string')) {
      throw new BadRequest(`Policy rule "${name}": the list form must be a list of lists of strings.`);
    }
    const checks = (inner as string[]).map((s) => parsePolicyRule(s, name));
    return checks.length === 1 ? checks[0]! : { type: 'and' as const, rules: checks };
  });
  return alternatives.length === 1 ? alternatives[0]! : { type: 'or', rules: alternatives };
}

function tokenize(source: string, name: string): Token[] {
  const out: Token[] = [];
  for (const raw of source.trim().split(/\s+/)) {
    if (!raw) continue;
    let word = raw;
    while (word.startsWith('(')) {
      out.push({ t: '(' });
      word = word.slice(1);
    }
    let closing = 0;
    while (word.endsWith(')') && !isBalancedCheck(word)) {
      closing++;
      word = word.slice(0, -1);
    }
    if (word) out.push(wordToken(word, name));
    for (let i = 0; i < closing; i++) out.push({ t: ')' });
  }
  return out;
}

/** True when every `)` left in the word closes a `(` of its own (`%(project_id)s`), so none is a group's end. */
function isBalancedCheck(word: string): boolean {
  const opens = (word.match(/\(/g) ?? []).length;
  const closes = (word.match(/\)/g) ?? []).length;
  return closes <= opens;
}

function wordToken(word: string, name: string): Token {
  const lower = word.toLowerCase();
  if (lower === 'and' || lower === 'or' || lower === 'not') return { t: lower };
  if (word === '@') return { t: 'rule', rule: { type: 'true' } };
  if (word === '!') return { t: 'rule', rule: { type: 'false' } };
  const colon = word.indexOf(':');
  if (colon <= 0) {
    throw new BadRequest(`Policy rule "${name}" has "${word}" where a check like role:admin or rule:NAME is expected.`);
  }
  return { t: 'rule', rule: { type: 'check', kind: word.slice(0, colon), match: word.slice(colon + 1) } };
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[], private readonly source: string, private readonly name: string) {}

  parseOr(): PolicyRule {
    const rules = [this.parseAnd()];
    while (this.peek()?.t === 'or') {
      this.pos++;
      rules.push(this.parseAnd());
    }
    return rules.length === 1 ? rules[0]! : { type: 'or', rules };
  }

  private parseAnd(): PolicyRule {
    const rules = [this.parseNot()];
    while (this.peek()?.t === 'and') {
      this.pos++;
      rules.push(this.parseNot());
    }
    return rules.length === 1 ? rules[0]! : { type: 'and', rules };
  }

  private parseNot(): PolicyRule {
    if (this.peek()?.t === 'not') {
      this.pos++;
      return { type: 'not', rule: this.parseNot() };
    }
    return this.parseAtom();
  }

  private parseAtom(): PolicyRule {
    const tok = this.tokens[this.pos++];
    if (!tok) this.fail('ends too early');
    if (tok.t === 'rule') return tok.rule;
    if (tok.t === '(') {
      const inner = this.parseOr();
      if (this.tokens[this.pos++]?.t !== ')') this.fail('has an unclosed "("');
      return inner;
    }
    this.fail(`has an unexpected "${tok.t}"`);
  }

  expectEnd(): void {
    const tok = this.peek();
    if (tok) this.fail(`has an unexpected "${tok.t === 'rule' ? 'check' : tok.t}" after a complete rule`);
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private fail(what: string): never {
    throw new BadRequest(`Policy rule "${this.name}" ${what}: ${JSON.stringify(this.source)}.`);
  }
}
