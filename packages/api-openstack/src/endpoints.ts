/** Base URLs (scheme, host, port; no path) where each API is reached, e.g. `http://127.0.0.1:8774`. */
export interface ApiEndpoints {
  identity: string;
  compute: string;
  image: string;
}

/** The URLs the service catalog and the `links` of every document name. */
export function catalogUrls(e: ApiEndpoints): { identity: string; compute: string; image: string } {
  return { identity: `${e.identity}/v3`, compute: `${e.compute}/v2.1`, image: e.image };
}
