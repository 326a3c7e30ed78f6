import { BadRequest } from '@nubo/core';

/** distutils' StrictVersion, numeric part: "6.2" → [6, 2, 0]. */
function strictVersion(v: string): number[] {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?(?:[ab](\d+))?$/.exec(v.trim());
  if (!m) throw new BadRequest(`invalid version number '${v}'`);
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

const OPS: Record<string, (c: number) => boolean> = {
  '<': (c) => c < 0,
  '<=': (c) => c <= 0,
  '==': (c) => c === 0,
  '>': (c) => c > 0,
  '>=': (c) => c >= 0,
  '!=': (c) => c !== 0,
};

/**
 * distutils' `VersionPredicate('x (<pred>)').satisfied_by(version)`: `pred` is a
 * comma-separated list of `op version` (`>=6.0, <7.0`), all of which must hold.
 */
export function versionSatisfies(version: string, predicate: string): boolean {
  const have = strictVersion(version);
  return predicate.split(',').every((clause) => {
    const m = /^\s*(<=|>=|==|!=|<|>)\s*(\S+)\s*$/.exec(clause);
    if (!m) throw new BadRequest(`bad package restriction syntax: '${clause}'`);
    return OPS[m[1]!]!(compare(have, strictVersion(m[2]!)));
  });
}
