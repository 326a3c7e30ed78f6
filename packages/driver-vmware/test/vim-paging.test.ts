import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { propString, retrieveAll, VimConnection, VimTransportError } from '../src/vim/index.js';

// vcsim never pages RetrievePropertiesEx results (it ignores maxObjects), so the paging path
// is checked against a stand-in that answers like a vCenter with more objects than a page.

const page = (names: string[], token?: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>` +
  `<RetrievePropertiesExResponse xmlns="urn:vim25"><returnval>${token ? `<token>${token}</token>` : ''}` +
  names
    .map(
      (n, i) =>
        `<objects><obj type="VirtualMachine">vm-${n}-${i}</obj><propSet><name>name</name>` +
        `<val xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance" XMLSchema-instance:type="xsd:string">${n}</val></propSet></objects>`,
    )
    .join('') +
  `</returnval></RetrievePropertiesExResponse></soapenv:Body></soapenv:Envelope>`;

const requests: string[] = [];
let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests.push(body);
      res.setHeader('Content-Type', 'text/xml');
      if (body.includes('<RetrievePropertiesEx ')) res.end(page(['a', 'b'], 'tok-1'));
      else if (body.includes('<token>tok-1</token>')) res.end(page(['c'], 'tok-2'));
      else if (body.includes('<token>tok-2</token>')) res.end(page(['d']));
      else {
        res.statusCode = 502;
        res.end('<html>bad gateway</html>');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sdk`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

describe('property collector paging', () => {
  it('follows continuation tokens to the last page and returns every object once', async () => {
    const conn = new VimConnection({ url });
    try {
      const objects = await retrieveAll(conn, { type: 'PropertyCollector', value: 'propertyCollector' }, [
        { propSet: [{ type: 'VirtualMachine', pathSet: ['name'] }], objectSet: [{ obj: { type: 'Folder', value: 'group-v3' } }] },
      ]);
      expect(objects.map((o) => propString(o, 'name'))).toEqual(['a', 'b', 'c', 'd']);
      expect(requests.filter((r) => r.includes('ContinueRetrievePropertiesEx'))).toHaveLength(2);
    } finally {
      conn.close();
    }
  });

  it('an answer that is not SOAP is a transport error naming the status', async () => {
    const conn = new VimConnection({ url });
    try {
      const err = await conn.invoke('Nothing', { type: 'X', value: 'y' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(VimTransportError);
      expect((err as Error).message).toMatch(/HTTP 502/);
    } finally {
      conn.close();
    }
  });
});
