import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadRequest, Conflict, Forbidden, NotFound, QuotaExceeded, type RequestContext } from '@nubo/core';
import { ADMIN_TOKENS } from '../src/composition/admin-tokens.js';
import type { KeyPairService } from '../src/services/api/key-pair-service.js';
import type { QuotaSetService } from '../src/services/api/quota-set-service.js';
import { fingerprintOfOpenSshKey, generateSshKey } from '../src/services/api/ssh-public-key.js';
import { newProjectMember, startTestCloud, type TestCloud } from './support/start-test-cloud.js';

let t: TestCloud;
let keys: KeyPairService;
let alice: RequestContext;
let bob: RequestContext;

beforeAll(async () => {
  t = await startTestCloud(0);
  keys = t.cloud.container.get(ADMIN_TOKENS.KeyPairs);
  alice = await newProjectMember(t.cloud, 'kp-alice');
  bob = await newProjectMember(t.cloud, 'kp-bob');
});
afterAll(() => t?.stop());

/** What `ssh-keygen -l -E md5` prints for a public key: the fingerprint a user compares with. */
function sshKeygenMd5(publicKey: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kp-'));
  writeFileSync(join(dir, 'k.pub'), publicKey + '\n');
  return execFileSync('ssh-keygen', ['-l', '-E', 'md5', '-f', join(dir, 'k.pub')]).toString().split(' ')[1]!.replace(/^MD5:/, '');
}

describe('key pairs', () => {
  it('generates an RSA key: private key once, OpenSSH public key, Nova fingerprint', async () => {
    const kp = await keys.create(alice, { name: 'gen-1' });
    expect(kp.privateKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    expect(kp.publicKey).toMatch(/^ssh-rsa AAAAB3NzaC1yc2E[A-Za-z0-9+/=]+ Generated-by-Nova$/);
    expect(kp.fingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    expect(kp).toMatchObject({ name: 'gen-1', userId: alice.userId, type: 'ssh' });
    const stored = await keys.get(alice, 'gen-1');
    expect(stored).not.toHaveProperty('privateKey');
    expect(stored.fingerprint).toBe(kp.fingerprint);
  });

  it('computes the same fingerprint as ssh-keygen, and ssh-keygen accepts the private keys', async () => {
    const rsa = generateSshKey('rsa');
    expect(rsa.fingerprint).toBe(sshKeygenMd5(rsa.publicKey));
    for (const g of [rsa, generateSshKey('ed25519')]) {
      const dir = mkdtempSync(join(tmpdir(), 'kp-'));
      writeFileSync(join(dir, 'id'), g.privateKey, { mode: 0o600 });
      const derived = execFileSync('ssh-keygen', ['-y', '-f', join(dir, 'id')]).toString().trim().split(' ').slice(0, 2).join(' ');
      expect(derived).toBe(g.publicKey.split(' ').slice(0, 2).join(' '));
      expect(fingerprintOfOpenSshKey(g.publicKey)).toBe(sshKeygenMd5(g.publicKey));
    }
  });

  it('imports a public key and fingerprints it', async () => {
    const g = generateSshKey('ed25519', 'me@laptop');
    const kp = await keys.create(alice, { name: 'imported key', publicKey: g.publicKey });
    expect(kp).not.toHaveProperty('privateKey');
    expect(kp.fingerprint).toBe(g.fingerprint);
    expect(kp.publicKey).toBe(g.publicKey);
  });

  it.each([
    ['not a key'],
    ['ssh-rsa AAAA'],
    ['ssh-rsa ' + Buffer.from('garbage').toString('base64')],
    ['ssh-ed25519 ' + generateSshKey('rsa').publicKey.split(' ')[1]],
  ])('refuses a broken public key %j with 400', async (publicKey) => {
    const err = await keys.create(alice, { name: 'broken', publicKey }).catch((e) => e);
    expect(err).toBeInstanceOf(BadRequest);
    expect(err.message).toBe('Keypair data is invalid: failed to generate fingerprint');
    await expect(keys.get(alice, 'broken')).rejects.toBeInstanceOf(NotFound);
  });

  it.each([[''], ['a'.repeat(256)], ['bad/name'], [' lead'], ['trail '], ['tab\tname']])('refuses the name %j', async (name) => {
    await expect(keys.create(alice, { name })).rejects.toBeInstanceOf(BadRequest);
  });

  it('accepts names with spaces, dots, dashes, underscores and @', async () => {
    expect((await keys.create(alice, { name: 'a b.c-d_e@f' })).name).toBe('a b.c-d_e@f');
  });

  it('refuses a duplicate name with 409 but lets another user use it', async () => {
    await expect(keys.create(alice, { name: 'gen-1' })).rejects.toThrow("Key pair 'gen-1' already exists.");
    await expect(keys.create(alice, { name: 'gen-1' })).rejects.toBeInstanceOf(Conflict);
    expect((await keys.create(bob, { name: 'gen-1' })).userId).toBe(bob.userId);
  });

  it("keeps each user's key pairs to themselves", async () => {
    const mine = await keys.list(alice);
    expect(mine.every((k) => k.userId === alice.userId)).toBe(true);
    expect((await keys.list(bob)).map((k) => k.name)).toEqual(['gen-1']);
    await expect(keys.get(bob, 'imported key')).rejects.toThrow(`Keypair imported key not found for user ${bob.userId}`);
    await expect(keys.get(bob, 'gen-1', alice.userId)).rejects.toBeInstanceOf(Forbidden);
    await expect(keys.delete(bob, 'gen-1', alice.userId)).rejects.toBeInstanceOf(Forbidden);
    await expect(keys.list(bob, { userId: alice.userId })).rejects.toBeInstanceOf(Forbidden);
    expect((await keys.list(t.admin, { userId: alice.userId })).length).toBe(mine.length);
  });

  it('pages by name with limit and marker', async () => {
    const names = (await keys.list(alice)).map((k) => k.name);
    expect(names).toEqual([...names].sort());
    expect((await keys.list(alice, { limit: 1, marker: names[0] })).map((k) => k.name)).toEqual([names[1]]);
    await expect(keys.list(alice, { marker: 'zzz-none' })).rejects.toBeInstanceOf(BadRequest);
  });

  it('deletes a key pair, then it is gone', async () => {
    await keys.delete(alice, 'a b.c-d_e@f');
    await expect(keys.get(alice, 'a b.c-d_e@f')).rejects.toBeInstanceOf(NotFound);
    await expect(keys.delete(alice, 'a b.c-d_e@f')).rejects.toBeInstanceOf(NotFound);
  });

  it('enforces the key_pairs quota per user: over it is 403 and nothing is written', async () => {
    const quotas = t.cloud.container.get<QuotaSetService>(ADMIN_TOKENS.QuotaSets);
    const carol = await newProjectMember(t.cloud, 'kp-carol');
    await quotas.update(t.admin, carol.projectId, { key_pairs: 2 });
    await keys.create(carol, { name: 'k1' });
    await keys.create(carol, { name: 'k2' });
    const err = await keys.create(carol, { name: 'k3' }).catch((e) => e);
    expect(err).toBeInstanceOf(QuotaExceeded);
    expect(err.status).toBe(403);
    expect(err.message).toBe('Quota exceeded, too many key pairs.');
    expect((await keys.list(carol)).map((k) => k.name)).toEqual(['k1', 'k2']);
  });

  it('lets concurrent creates pass the quota no further than the limit', async () => {
    const quotas = t.cloud.container.get<QuotaSetService>(ADMIN_TOKENS.QuotaSets);
    const dave = await newProjectMember(t.cloud, 'kp-dave');
    await quotas.update(t.admin, dave.projectId, { key_pairs: 3 });
    const pub = generateSshKey('ed25519').publicKey;
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => keys.create(dave, { name: `race-${i}`, publicKey: pub })));
    expect(results.filter((r) => r.status === 'fulfilled').length).toBe(3);
    expect((await keys.list(dave)).length).toBe(3);
  });
});
