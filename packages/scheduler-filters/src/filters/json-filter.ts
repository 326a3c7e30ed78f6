import { BadRequest, type HostFilter, type HostState, type RequestSpec } from '@nubo/core';
import { novaAttribute } from '../nova-host-attributes.js';
import { pyEquals, pyLess, pyTruthy } from '../python-semantics.js';
import { schedulerHint } from '../request-spec-hints.js';

type Args = unknown[];
const compareAll = (test: (a: unknown, b: unknown) => boolean) => (args: Args) =>
  args.length >= 2 && args.slice(1).every((b) => test(args[0], b));

const COMMANDS: Record<string, (args: Args) => unknown> = {
  '=': compareAll(pyEquals),
  '<': compareAll(pyLess),
  '>': compareAll((a, b) => pyLess(b, a)),
  '<=': compareAll((a, b) => pyLess(a, b) || pyEquals(a, b)),
  '>=': compareAll((a, b) => pyLess(b, a) || pyEquals(a, b)),
  in: (args) => args.length >= 2 && args.slice(1).some((b) => pyEquals(args[0], b)),
  not: (args) => args.map((a) => !pyTruthy(a)),
  or: (args) => args.some(pyTruthy),
  and: (args) => args.every(pyTruthy),
};

/**
 * Passes hosts satisfying the JSON query in the `query` hint, e.g.
 * `["and", [">=", "$free_ram_mb", 1024], ["=", "$hypervisor_type", "qemu"]]`.
 * `$name` reads a host attribute (Nova's names), `$stats.key` walks into a dictionary.
 * An unknown command throws BadRequest.
 */
export class JsonFilter implements HostFilter {
  readonly name = 'JsonFilter';
  private lastQuery: string | undefined;
  private lastParsed: unknown;

  hostPasses(host: HostState, spec: RequestSpec): boolean {
    const query = schedulerHint(spec, 'query');
    if (!query || query.length === 0) return true;
    if (Array.isArray(query)) throw new BadRequest('The query hint must be a single JSON string.');
    const parsed = this.parse(query);
    let result = evaluate(parsed, host);
    if (Array.isArray(result)) result = result.some(pyTruthy);
    return pyTruthy(result);
  }

  /** The query is the same for every host of a request: parse it once. */
  private parse(query: string): unknown {
    if (query !== this.lastQuery) {
      try {
        this.lastParsed = JSON.parse(query);
      } catch {
        throw new BadRequest(`The query hint is not valid JSON: ${query}`);
      }
      this.lastQuery = query;
    }
    return this.lastParsed;
  }
}

function evaluate(query: unknown, host: HostState): unknown {
  if (!pyTruthy(query)) return true;
  if (!Array.isArray(query)) throw new BadRequest('A JsonFilter query must be a list.');
  const method = typeof query[0] === 'string' ? COMMANDS[query[0]] : undefined;
  if (!method) throw new BadRequest(`Unknown JsonFilter command ${JSON.stringify(query[0])}`);
  const cooked: unknown[] = [];
  for (const raw of query.slice(1)) {
    let arg: unknown = raw;
    if (Array.isArray(raw)) arg = evaluate(raw, host);
    else if (typeof raw === 'string') arg = lookup(raw, host);
    if (arg !== null && arg !== undefined) cooked.push(arg);
  }
  return method(cooked);
}

/** `$variable[.key…]` reads the host; other strings stand for themselves; '' is None. */
function lookup(text: string, host: HostState): unknown {
  if (!text) return undefined;
  if (!text.startsWith('$')) return text;
  const [first, ...rest] = text.slice(1).split('.');
  let obj: unknown = novaAttribute(host, first!);
  for (const key of rest) {
    if (obj === undefined || obj === null) return undefined;
    if (typeof obj !== 'object' || Array.isArray(obj)) throw new BadRequest(`Cannot look up '${key}' in ${text}`);
    obj = (obj as Record<string, unknown>)[key];
  }
  return obj ?? undefined;
}
