/** A flavor or image reference may be an id or a URL ending in one (`…/flavors/1`): Nova keeps the last path segment. */
export function refId(ref: string | number | null | undefined): string | null {
  if (ref === null || ref === undefined || ref === '') return null;
  const s = String(ref);
  return s.includes('/') ? s.replace(/\/+$/, '').split('/').pop()! : s;
}
