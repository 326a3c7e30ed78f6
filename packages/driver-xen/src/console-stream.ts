/**
 * Reads a Xen guest's console through libvirt's DOMAIN_OPEN_CONSOLE stream (what
 * `virsh console` does), on a connection of its own so a console that never ends cannot hold
 * up a driver's calls; closing that connection ends the stream.
 */
import type { Subscription } from 'rxjs';
import { DriverError } from '@nubo/core';
import { domainLookupByUuid, domainOpenConsole, LibvirtConnection, OpenConsoleFlags, type LibvirtConnectionOptions } from '@nubo/driver-libvirt';

export interface ConsoleReadOptions {
  /** Resolves as soon as the output read so far matches. */
  until: RegExp;
  /** Gives up (rejects with `DriverError`) after this long. */
  timeoutMs: number;
  connection?: LibvirtConnectionOptions;
}

/** The console output of domain `uuid` from the moment of the call until `until` matches. */
export async function readDomainConsole(uri: string, uuid: string, o: ConsoleReadOptions): Promise<string> {
  const conn = await LibvirtConnection.open(uri, o.connection);
  let sub: Subscription | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const stream = await domainOpenConsole(conn, await domainLookupByUuid(conn, uuid), null, OpenConsoleFlags.FORCE);
    const decoder = new TextDecoder();
    let text = '';
    return await new Promise<string>((resolve, reject) => {
      timer = setTimeout(() => reject(new DriverError(`No console output of ${uuid} matched ${o.until} within ${o.timeoutMs} ms; read so far: ${JSON.stringify(text.slice(-400))}`)), o.timeoutMs);
      sub = stream.data.subscribe({
        next: (chunk) => {
          text += decoder.decode(chunk, { stream: true });
          if (o.until.test(text)) resolve(text);
        },
        error: (err: Error) => reject(new DriverError(`The console of ${uuid} failed before ${o.until} appeared: ${err.message}; read: ${JSON.stringify(text.slice(-400))}`)),
        complete: () => reject(new DriverError(`The console of ${uuid} closed before ${o.until} appeared; read: ${JSON.stringify(text.slice(-400))}`)),
      });
    });
  } finally {
    clearTimeout(timer);
    sub?.unsubscribe();
    await conn.close();
  }
}
