import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { decodeSoapFault, NotAuthenticatedFault, VimTransportError } from './faults.js';
import type { ManagedObjectReference } from './types.js';
import { child, el, parseXml, type Xml, type XmlNode } from './xml.js';

/** How to reach a vCenter or ESXi SOAP endpoint. */
export interface VimConnectionOptions {
  /** The SDK endpoint, e.g. `https://vcenter.example.org/sdk`. */
  url: string;
  /**
   * PEM of the CA (or the self-signed certificate) to trust for this server, in addition to
   * nothing else: when given, only it is trusted. Without it Node's default CAs apply.
   */
  ca?: string | Buffer;
  /** Path of a PEM file to use as `ca` (for configuration files, which name files, not PEM text). */
  caFile?: string;
  /**
   * Accept any server certificate. Off by default; a self-signed certificate is accepted only
   * when this is set explicitly (prefer `ca`).
   */
  insecure?: boolean;
  /** The vim25 API version sent as SOAPAction, `urn:vim25/<version>`. Default 6.5. */
  apiVersion?: string;
  /** Per-request timeout in milliseconds (default 120 000). */
  timeoutMs?: number;
}

const ENVELOPE_START =
  '<?xml version="1.0" encoding="UTF-8"?>' +
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
  ' xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
  '<soapenv:Body>';
const ENVELOPE_END = '</soapenv:Body></soapenv:Envelope>';

/** Encodes a managed object reference as the element `name`. */
export function moRef(name: string, ref: ManagedObjectReference): Xml {
  return el(name, ref.value, { type: ref.type });
}

/**
 * One HTTP(S) keep-alive connection to a vim25 endpoint carrying the session cookie.
 *
 * `invoke` sends one method and returns its `<XxxResponse>` element, or throws the decoded
 * `VimFault`. When a call faults with `NotAuthenticated` and a re-login hook is set (the
 * session expired, or the server restarted), it logs in once and retries the call.
 */
export class VimConnection {
  readonly url: URL;
  private readonly agent: http.Agent;
  private readonly soapAction: string;
  private readonly timeoutMs: number;
  private cookie: string | undefined;
  private relogin: (() => Promise<void>) | undefined;
  private reloginInFlight: Promise<void> | undefined;

  constructor(options: VimConnectionOptions) {
    this.url = new URL(options.url);
    if (this.url.protocol !== 'https:' && this.url.protocol !== 'http:') {
      throw new TypeError(`vSphere SDK URL must be http(s): ${options.url}`);
    }
    this.soapAction = `urn:vim25/${options.apiVersion ?? '6.5'}`;
    this.timeoutMs = options.timeoutMs ?? 120_000;
    const ca = options.ca ?? (options.caFile ? readFileSync(options.caFile) : undefined);
    this.agent =
      this.url.protocol === 'https:'
        ? new https.Agent({ keepAlive: true, ca, rejectUnauthorized: options.insecure !== true })
        : new http.Agent({ keepAlive: true });
  }

  /** The session cookie (`vmware_soap_session=…`), if logged in. */
  get sessionCookie(): string | undefined {
    return this.cookie;
  }

  /** Drops the session cookie (after Logout). */
  clearSession(): void {
    this.cookie = undefined;
  }

  /** Sets what to do when the server says the session is gone: log in again. */
  setRelogin(relogin: (() => Promise<void>) | undefined): void {
    this.relogin = relogin;
  }

  /** Calls `method` on `target` with the encoded arguments; returns the response element. */
  async invoke(method: string, target: ManagedObjectReference, args: Xml[] = []): Promise<XmlNode> {
    try {
      return await this.send(method, target, args);
    } catch (err) {
      if (!(err instanceof NotAuthenticatedFault) || !this.relogin) throw err;
      this.reloginInFlight ??= this.relogin().finally(() => (this.reloginInFlight = undefined));
      await this.reloginInFlight;
      return this.send(method, target, args);
    }
  }

  /** Closes idle sockets. */
  close(): void {
    this.agent.destroy();
  }

  private async send(method: string, target: ManagedObjectReference, args: Xml[]): Promise<XmlNode> {
    const body =
      ENVELOPE_START + el(method, [moRef('_this', target), ...args], { xmlns: 'urn:vim25' }).raw + ENVELOPE_END;
    const { status, text, setCookie } = await this.post(body);
    for (const c of setCookie) {
      const m = /^\s*(vmware_soap_session=[^;]*)/.exec(c);
      if (m) this.cookie = m[1];
    }
    let envelope: XmlNode;
    try {
      envelope = parseXml(text);
    } catch (err) {
      throw new VimTransportError(`${method}: HTTP ${status} with a body that is not XML`, err);
    }
    const soapBody = child(envelope, 'Body');
    const first = soapBody?.children[0];
    if (!first) throw new VimTransportError(`${method}: HTTP ${status} with an empty SOAP body`);
    if (first.name === 'Fault') throw decodeSoapFault(first);
    if (status >= 400) throw new VimTransportError(`${method}: HTTP ${status}`);
    return first;
  }

  /**
   * A plain HTTP request on the same host, agent and session, for the endpoints beside SOAP
   * (datastore files under `/folder`). Resolves with the response once its headers arrive.
   */
  request(
    method: 'GET' | 'PUT' | 'HEAD',
    pathAndQuery: string,
    body?: AsyncIterable<Uint8Array>,
  ): Promise<http.IncomingMessage> {
    const mod = this.url.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = {};
    if (this.cookie) headers.Cookie = this.cookie;
    if (body) headers['Content-Type'] = 'application/octet-stream';
    const target = new URL(pathAndQuery, this.url);
    return new Promise((resolve, reject) => {
      const req = mod.request(target, { method, agent: this.agent, headers, timeout: this.timeoutMs }, resolve);
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      req.on('error', (e) => reject(new VimTransportError(`${method} ${target.pathname} failed: ${e.message}`, e)));
      if (!body) {
        req.end();
        return;
      }
      (async () => {
        for await (const chunk of body) {
          if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
        }
        req.end();
      })().catch((e: unknown) => req.destroy(e instanceof Error ? e : new Error(String(e))));
    });
  }

  private post(body: string): Promise<{ status: number; text: string; setCookie: string[] }> {
    const mod = this.url.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = {
      'Content-Type': 'text/xml; charset=utf-8',
      SOAPAction: this.soapAction,
      'Content-Length': String(Buffer.byteLength(body)),
    };
    if (this.cookie) headers.Cookie = this.cookie;
    return new Promise((resolve, reject) => {
      const req = mod.request(
        this.url,
        { method: 'POST', agent: this.agent, headers, timeout: this.timeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e) => reject(new VimTransportError(`vSphere response failed: ${e.message}`, e)));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              text: Buffer.concat(chunks).toString('utf8'),
              setCookie: res.headers['set-cookie'] ?? [],
            }),
          );
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      req.on('error', (e) =>
        reject(new VimTransportError(`vSphere endpoint ${this.url.origin} failed: ${e.message}`, e)),
      );
      req.end(body);
    });
  }
}

