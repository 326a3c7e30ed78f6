import type { FastifyRequest } from 'fastify';
import { BadRequest } from '@nubo/core';

/** The query string as strings (a repeated key keeps its last value, like Nova's filters). */
export function queryOf(req: FastifyRequest): Record<string, string> {
  const raw = (req.query ?? {}) as Record<string, string | string[] | undefined>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    const value = Array.isArray(v) ? v[v.length - 1]! : v;
    if (value.length > 4096) throw new BadRequest(`Query parameter ${k.slice(0, 64)} is too long.`);
    out[k] = value;
  }
  return out;
}

/** A non-negative integer query parameter, or undefined when absent; 400 when malformed. */
export function queryInt(q: Record<string, string>, key: string, max = 2 ** 31 - 1): number | undefined {
  const v = q[key];
  if (v === undefined) return undefined;
  if (!/^\d{1,10}$/.test(v) || Number(v) > max) throw new BadRequest(`Invalid input for query parameter ${key}. Value: ${v.slice(0, 64)}. It must be a non-negative integer.`);
  return Number(v);
}

/** Nova's truthiness for flags such as `all_tenants`: present and not a false-like word. */
export function queryFlag(q: Record<string, string>, key: string): boolean {
  const v = q[key];
  if (v === undefined) return false;
  return !['0', 'false', 'f', 'no', 'n', 'off'].includes(v.toLowerCase());
}

/** A date query parameter (`changes-since`), 400 when unparseable. */
export function queryDate(q: Record<string, string>, key: string): Date | undefined {
  const v = q[key];
  if (v === undefined) return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new BadRequest(`Invalid input for query parameter ${key}. Value: ${v.slice(0, 64)}. It must be a date-time.`);
  return d;
}
