import { BadRequest } from '@nubo/core';

/**
 * The few Python value semantics Nova's filters rely on, so that a string compares, converts
 * and prints exactly as it does in Nova (`float('1e3')`, `str(16.0)`, `1 == True`, …).
 */

const PY_FLOAT = /^[+-]?(?:(?:\d(?:_?\d)*)?\.?\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?|\d(?:_?\d)*\.|inf(?:inity)?|nan)$/i;

/** Python's `float(str)`: surrounding whitespace allowed; throws BadRequest where Python raises ValueError. */
export function pyFloat(value: string | number): number {
  if (typeof value === 'number') return value;
  const s = value.trim();
  if (!PY_FLOAT.test(s)) throw new BadRequest(`could not convert string to float: '${value}'`);
  const lower = s.toLowerCase().replace(/_/g, '');
  if (lower.endsWith('nan')) return Number.NaN;
  if (lower.endsWith('inf') || lower.endsWith('infinity')) return lower.startsWith('-') ? -Infinity : Infinity;
  return Number(lower);
}

/** Python's `int(str)`: an optionally signed run of digits; throws BadRequest otherwise. */
export function pyInt(value: string | number): number {
  if (typeof value === 'number') return Math.trunc(value);
  const s = value.trim().replace(/_/g, '');
  if (!/^[+-]?\d+$/.test(s)) throw new BadRequest(`invalid literal for int() with base 10: '${value}'`);
  return Number(s);
}

/** Python's `repr` of a float: always shows a fractional part or exponent (`16.0`, `1e+16`). */
export function pyFloatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return `${n}.0`;
  return String(n).replace(/e\+?/, (m) => (m === 'e+' ? 'e+' : 'e'));
}

/** Python's `str()` of a scalar or list (lists as Python prints them). */
export function pyStr(value: unknown, isFloat = false): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return isFloat ? pyFloatRepr(value) : String(value);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (value instanceof Set) return value.size === 0 ? 'set()' : `{${[...value].map(pyRepr).join(', ')}}`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
  }
  return String(value);
}

function pyRepr(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : pyStr(value);
}

/** Python truthiness. */
export function pyTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value as object).length > 0;
  return true;
}

const numeric = (v: unknown): v is number | boolean => typeof v === 'number' || typeof v === 'boolean';

/** Python `==` on JSON-like values (`1 == True == 1.0`, lists element-wise). */
export function pyEquals(a: unknown, b: unknown): boolean {
  if (numeric(a) && numeric(b)) return Number(a) === Number(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => pyEquals(x, b[i]));
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const rb = b as Record<string, unknown>;
    return ka.length === Object.keys(rb).length && ka.every((k) => k in rb && pyEquals((a as Record<string, unknown>)[k], rb[k]));
  }
  return a === b;
}

/** Python's ordering (`<`): numbers with numbers, strings with strings, lists element-wise; else TypeError. */
export function pyLess(a: unknown, b: unknown): boolean {
  if (numeric(a) && numeric(b)) return Number(a) < Number(b);
  if (typeof a === 'string' && typeof b === 'string') return comparePyStrings(a, b) < 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!pyEquals(a[i], b[i])) return pyLess(a[i], b[i]);
    }
    return a.length < b.length;
  }
  throw new BadRequest(`'<' not supported between ${pyTypeName(a)} and ${pyTypeName(b)}`);
}

/** Compares by Unicode code point, as Python does (JavaScript compares UTF-16 units). */
function comparePyStrings(a: string, b: string): number {
  const ca = [...a];
  const cb = [...b];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const d = ca[i]!.codePointAt(0)! - cb[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return ca.length - cb.length;
}

function pyTypeName(v: unknown): string {
  if (v === null) return "'NoneType'";
  if (Array.isArray(v)) return "'list'";
  if (typeof v === 'string') return "'str'";
  if (typeof v === 'number') return Number.isInteger(v) ? "'int'" : "'float'";
  if (typeof v === 'boolean') return "'bool'";
  return "'dict'";
}
