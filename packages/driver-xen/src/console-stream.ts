/**
 * Reads a Xen guest's console through libvirt's DOMAIN_OPEN_CONSOLE stream (what
 * `virsh console` does), on a connection of its own so the stream's packets never mix with a
 * driver's calls; closing that connection ends the stream.
 */
import { filter, type Subscription } from 'rxjs';
import { DriverError } from '@nubo/core';
import { decodeRemoteError, domainLookupByUuid, LibvirtConnection, MessageStatus, type LibvirtConnectionOptions } from '@nubo/driver-libvirt';
import { domainOpenConsole, OpenConsoleFlags, XenRemoteProcedure } from './rpc/procedures.js';

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
  let sub: Subscription | null = null;
  let timer: NodeJS.Timeout | null = null;
  try {
    const client = conn.currentClient;
    if (!client) throw new DriverError(`The console connection to ${uri} closed at once.`);
    const decoder = new TextDecoder();
    let text = '';
    const done = new Promise<string>((resolve, reject) => {
      timer = setTimeout(() => reject(new DriverError(`No console output of ${uuid} matched ${o.until} within ${o.timeoutMs} ms; read so far: ${JSON.stringify(text.slice(-400))}`)), o.timeoutMs);
      sub = client.streams.pipe(filter((m) => m.header.proc === XenRemoteProcedure.DOMAIN_OPEN_CONSOLE)).subscribe({
        next: (m) => {
          if (m.header.status === MessageStatus.ERROR) {
            reject(decodeRemoteError(m.body));
            return;
          }
          if (m.header.status === MessageStatus.OK) {
            reject(new DriverError(`The console of ${uuid} closed before ${o.until} appeared; read: ${JSON.stringify(text.slice(-400))}`));
            return;
          }
          text += decoder.decode(m.body, { stream: true });
          if (o.until.test(text)) resolve(text);
        },
        complete: () => reject(new DriverError(`The console connection closed before ${o.until} appeared.`)),
      });
    });
    done.catch(() => undefined);
    const dom = await domainLookupByUuid(conn, uuid);
    await domainOpenConsole(conn, dom, null, OpenConsoleFlags.FORCE);
    return await done;
  } finally {
    if (timer) clearTimeout(timer);
    (sub as Subscription | null)?.unsubscribe();
    await conn.close();
  }
}
