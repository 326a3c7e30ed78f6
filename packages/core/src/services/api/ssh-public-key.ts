import { createHash, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { BadRequest } from '../../errors.js';

/** A freshly generated key pair, as the API hands it out once. */
export interface GeneratedSshKey {
  /** PEM: PKCS#1 ("RSA PRIVATE KEY") for RSA, as Nova writes it; OpenSSH format for ed25519. */
  privateKey: string;
  /** One line, OpenSSH `authorized_keys` format. */
  publicKey: string;
  fingerprint: string;
}

export type SshKeyAlgorithm = 'rsa' | 'ed25519';

const invalid = (reason: string) => new BadRequest(`Keypair data is invalid: ${reason}`);

/** Reads the length-prefixed strings of the SSH wire format (RFC 4251). */
class SshReader {
  private at = 0;
  constructor(private readonly buf: Buffer) {}
  string(): Buffer {
    if (this.at + 4 > this.buf.length) throw invalid('failed to generate fingerprint');
    const len = this.buf.readUInt32BE(this.at);
    this.at += 4;
    if (len > this.buf.length - this.at) throw invalid('failed to generate fingerprint');
    const out = this.buf.subarray(this.at, this.at + len);
    this.at += len;
    return out;
  }
  get done(): boolean {
    return this.at === this.buf.length;
  }
}

function sshString(b: Buffer | string): Buffer {
  const body = typeof b === 'string' ? Buffer.from(b) : b;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

function mpint(unsigned: Buffer): Buffer {
  let i = 0;
  while (i < unsigned.length - 1 && unsigned[i] === 0) i++;
  const v = unsigned.subarray(i);
  return sshString(v[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v);
}

const ECDSA_CURVES: Record<string, string> = {
  'ecdsa-sha2-nistp256': 'nistp256', 'ecdsa-sha2-nistp384': 'nistp384', 'ecdsa-sha2-nistp521': 'nistp521',
};

/** Nova's fingerprint of an SSH key: MD5 of the decoded key blob, as colon-separated hex pairs. */
export function md5Fingerprint(blob: Buffer): string {
  return createHash('md5').update(blob).digest('hex').match(/../g)!.join(':');
}

/**
 * Checks an OpenSSH public key line (`ssh-rsa AAAA… comment`) and returns its fingerprint.
 * RSA keys are loaded by node:crypto to prove they are real keys; other types are checked
 * structurally. @throws BadRequest "Keypair data is invalid: failed to generate fingerprint"
 */
export function fingerprintOfOpenSshKey(publicKey: string): string {
  if (typeof publicKey !== 'string' || publicKey.length > 16384) throw invalid('failed to generate fingerprint');
  const parts = publicKey.trim().split(/\s+/);
  if (parts.length < 2 || !/^[A-Za-z0-9+/]+={0,2}$/.test(parts[1]!)) throw invalid('failed to generate fingerprint');
  const type = parts[0]!;
  const blob = Buffer.from(parts[1]!, 'base64');
  const r = new SshReader(blob);
  if (r.string().toString('latin1') !== type) throw invalid('failed to generate fingerprint');
  if (type === 'ssh-rsa') {
    const e = r.string();
    const n = r.string();
    if (!r.done || n.length < 64) throw invalid('failed to generate fingerprint');
    try {
      createPublicKey({ key: { kty: 'RSA', e: e.toString('base64url'), n: n.toString('base64url') }, format: 'jwk' });
    } catch {
      throw invalid('failed to generate fingerprint');
    }
  } else if (type === 'ssh-ed25519') {
    if (r.string().length !== 32 || !r.done) throw invalid('failed to generate fingerprint');
  } else if (ECDSA_CURVES[type]) {
    if (r.string().toString('latin1') !== ECDSA_CURVES[type] || r.string().length === 0 || !r.done) throw invalid('failed to generate fingerprint');
  } else if (type === 'ssh-dss') {
    for (let i = 0; i < 4; i++) r.string();
    if (!r.done) throw invalid('failed to generate fingerprint');
  } else {
    throw invalid('failed to generate fingerprint');
  }
  return md5Fingerprint(blob);
}

/** Generates a key pair: RSA 2048 (Nova's choice) or ed25519. */
export function generateSshKey(algorithm: SshKeyAlgorithm = 'rsa', comment = 'Generated-by-Nova'): GeneratedSshKey {
  if (algorithm === 'ed25519') return generateEd25519(comment);
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  const jwk = publicKey.export({ format: 'jwk' });
  const blob = Buffer.concat([sshString('ssh-rsa'), mpint(Buffer.from(jwk.e!, 'base64url')), mpint(Buffer.from(jwk.n!, 'base64url'))]);
  return {
    privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicKey: `ssh-rsa ${blob.toString('base64')} ${comment}`,
    fingerprint: md5Fingerprint(blob),
  };
}

function generateEd25519(comment: string): GeneratedSshKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
  const blob = Buffer.concat([sshString('ssh-ed25519'), sshString(pub)]);
  // openssh-key-v1, unencrypted: what ssh-keygen writes and ssh reads.
  const check = randomBytes(4);
  let priv = Buffer.concat([check, check, sshString('ssh-ed25519'), sshString(pub), sshString(Buffer.concat([seed, pub])), sshString(comment)]);
  const pad = (8 - (priv.length % 8)) % 8;
  priv = Buffer.concat([priv, Buffer.from(Array.from({ length: pad }, (_, i) => i + 1))]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'latin1'), sshString('none'), sshString('none'), sshString(''),
    Buffer.from([0, 0, 0, 1]), sshString(blob), sshString(priv),
  ]);
  const lines = body.toString('base64').match(/.{1,70}/g)!.join('\n');
  return {
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines}\n-----END OPENSSH PRIVATE KEY-----\n`,
    publicKey: `ssh-ed25519 ${blob.toString('base64')} ${comment}`,
    fingerprint: md5Fingerprint(blob),
  };
}
