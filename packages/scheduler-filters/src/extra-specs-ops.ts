import { pyFloat } from './python-semantics.js';

type Op = (value: string, arg: string) => boolean;
const num = (f: (x: number, y: number) => boolean): Op => (x, y) => f(pyFloat(x), pyFloat(y));
const str = (f: (x: string, y: string) => boolean): Op => f;

const OPS: Record<string, Op> = {
  '=': num((x, y) => x >= y),
  '<in>': (x, y) => x.includes(y),
  '==': num((x, y) => x === y),
  '!=': num((x, y) => x !== y),
  '>=': num((x, y) => x >= y),
  '<=': num((x, y) => x <= y),
  's==': str((x, y) => x === y),
  's!=': str((x, y) => x !== y),
  's<': str((x, y) => x < y),
  's<=': str((x, y) => x <= y),
  's>': str((x, y) => x > y),
  's>=': str((x, y) => x >= y),
};

/**
 * Nova's extra-spec matching (`extra_specs_ops.match`): `req` is either a plain value
 * (exact string match) or an operator and operands — `= 4` (numerically at least 4),
 * `<in> sub`, `<all-in> a b`, `<or> a <or> b`, `== 2`, `s>= abc`, …
 * A numeric operator on a non-number throws, as Nova's `float()` would.
 */
export function matchExtraSpec(value: string | null | undefined, req: string): boolean {
  const words = req.split(/\s+/).filter((w) => w !== '');
  const op = words.length ? words.shift()! : undefined;
  const method = op === undefined ? undefined : OPS[op];
  if (op !== '<or>' && op !== '<all-in>' && !method) return value === req;
  if (value === null || value === undefined) return false;
  if (op === '<or>') {
    for (;;) {
      if (words.shift() === value) return true;
      if (!words.length) break;
      words.shift();
      if (!words.length) break;
    }
    return false;
  }
  if (!words.length) return false;
  if (op === '<all-in>') return words.every((w) => value.includes(w));
  return method!(value, words[0]!);
}
