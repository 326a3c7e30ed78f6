/** Nova's server timestamps: ISO 8601 to the second, UTC, with a `Z` (`2013-09-23T13:37:00Z`). */
export function novaTime(d: Date | null | undefined): string | null {
  return d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : null;
}

/** The timestamps of instance actions and usage: microseconds, no zone (`2018-04-25T01:26:36.000000`). */
export function novaMicroTime(d: Date | null | undefined): string | null {
  return d ? d.toISOString().replace(/\.(\d{3})Z$/, '.$1000') : null;
}
