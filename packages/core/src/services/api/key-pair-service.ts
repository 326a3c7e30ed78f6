import { X509Certificate, createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { MoreThan } from 'typeorm';
import { BadRequest, Conflict, NotFound, QuotaExceeded } from '../../errors.js';
import type { KeyPair } from '../../model/key-pair.js';
import type { RequestContext } from '../../model/request-context.js';
import { ComputePolicy } from '../../policy/compute-policies.js';
import type { Database } from '../../persistence/database.js';
import { KeyPairSchema } from '../../persistence/schemas/index.js';
import type { PolicyEngine } from '../../ports/policy-engine.js';
import type { QuotaEngine } from '../../ports/quota-engine.js';
import { fingerprintOfOpenSshKey, generateSshKey, type SshKeyAlgorithm } from './ssh-public-key.js';

/** Body of POST /os-keypairs, already parsed. */
export interface CreateKeyPairInput {
  name: string;
  /** Import this key; when absent a key is generated and its private half returned once. */
  publicKey?: string;
  type?: 'ssh' | 'x509';
  /** Admin only (2.10+): the user the key belongs to. Default: the caller. */
  userId?: string;
}

export interface KeyPairListOptions {
  /** Admin only (2.10+): another user's key pairs. */
  userId?: string;
  limit?: number;
  /** The name after which the page starts (2.35+). */
  marker?: string;
}

export interface KeyPairServiceOptions {
  /** Which algorithm `create` generates with when no public key is given. Default RSA, as Nova. */
  generateAlgorithm?: SshKeyAlgorithm;
}

const NAME_CHARS = /^[a-zA-Z0-9 _\-.@]+$/;

/**
 * Key pairs per user (os-keypairs): generated with node:crypto or imported from an OpenSSH
 * public key (or an X.509 certificate), limited by the key_pairs quota of the caller's project.
 */
export class KeyPairService {
  constructor(
    private readonly db: Database,
    private readonly policy: PolicyEngine,
    private readonly quotas: QuotaEngine,
    private readonly options: KeyPairServiceOptions = {},
  ) {}

  /**
   * Creates (generates) or imports a key pair. A generated key's private half is in the
   * result and stored nowhere.
   * @throws BadRequest for a bad name or key, Conflict for a taken name, QuotaExceeded (403).
   */
  async create(ctx: RequestContext, input: CreateKeyPairInput): Promise<KeyPair & { privateKey?: string }> {
    if (typeof input !== 'object' || input === null) throw new BadRequest('Invalid input: a keypair body is required.');
    const userId = input.userId ?? ctx.userId;
    this.policy.enforce(ctx, ComputePolicy.keypairs.create, { user_id: userId });
    const name = checkKeyPairName(input.name);
    const type = input.type ?? 'ssh';
    if (type !== 'ssh' && type !== 'x509') throw new BadRequest(`Invalid input for field/attribute type. Value: ${String(type)}.`);
    if (typeof userId !== 'string' || userId.length === 0 || userId.length > 64) throw new BadRequest('Invalid input for field/attribute user_id.');
    let publicKey: string;
    let fingerprint: string;
    let privateKey: string | undefined;
    if (input.publicKey !== undefined) {
      if (typeof input.publicKey !== 'string') throw new BadRequest('Invalid input for field/attribute public_key.');
      publicKey = input.publicKey;
      fingerprint = type === 'ssh' ? fingerprintOfOpenSshKey(publicKey) : x509Fingerprint(publicKey);
    } else {
      if (type === 'x509') throw new BadRequest('Keypair data is invalid: generating x509 key pairs is not supported; import a certificate.');
      const generated = generateSshKey(this.options.generateAlgorithm ?? 'rsa');
      ({ publicKey, fingerprint, privateKey } = generated);
    }
    const keyPair: KeyPair = { name, userId, type, publicKey, fingerprint, createdAt: new Date() };
    // The project's quota lock serialises concurrent creates; key pairs are counted per user.
    const limit = (await this.quotas.getLimits(ctx.projectId)).key_pairs;
    await this.quotas.enforce(ctx.projectId, {}, async (tx) => {
      const repo = (tx as EntityManager).getRepository(KeyPairSchema);
      if (limit >= 0 && (await repo.countBy({ userId })) + 1 > limit) throw new QuotaExceeded('Quota exceeded, too many key pairs.', 403);
      if (await repo.findOneBy({ userId, name })) throw new Conflict(`Key pair '${name}' already exists.`);
      await repo.insert(keyPair);
    });
    return privateKey === undefined ? keyPair : { ...keyPair, privateKey };
  }

  async list(ctx: RequestContext, options: KeyPairListOptions = {}): Promise<KeyPair[]> {
    const userId = options.userId ?? ctx.userId;
    this.policy.enforce(ctx, ComputePolicy.keypairs.index, { user_id: userId });
    const limit = options.limit;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw new BadRequest('limit param must be an integer');
    const repo = this.db.repo(KeyPairSchema);
    let after: string | undefined;
    if (options.marker !== undefined) {
      if (!(await repo.findOneBy({ userId, name: options.marker }))) throw new BadRequest(`Marker ${options.marker} could not be found.`);
      after = options.marker;
    }
    return repo.find({
      where: after === undefined ? { userId } : { userId, name: MoreThan(after) },
      order: { name: 'ASC' },
      take: limit,
    });
  }

  async get(ctx: RequestContext, name: string, userId = ctx.userId): Promise<KeyPair> {
    this.policy.enforce(ctx, ComputePolicy.keypairs.show, { user_id: userId });
    return this.find(name, userId);
  }

  async delete(ctx: RequestContext, name: string, userId = ctx.userId): Promise<void> {
    this.policy.enforce(ctx, ComputePolicy.keypairs.delete, { user_id: userId });
    await this.find(name, userId);
    await this.db.repo(KeyPairSchema).delete({ userId, name });
  }

  private async find(name: string, userId: string): Promise<KeyPair> {
    const kp = typeof name === 'string' && name.length <= 255 && typeof userId === 'string' && userId.length <= 64
      ? await this.db.repo(KeyPairSchema).findOneBy({ userId, name })
      : null;
    if (!kp) throw new NotFound(`Keypair ${name} not found for user ${userId}`);
    return kp;
  }
}

/** Key pair names: 1-255 characters of letters, digits, space, `_`, `-`, `.` and `@`, not starting or ending with a space. */
export function checkKeyPairName(name: unknown): string {
  if (typeof name !== 'string' || name.length < 1 || name.length > 255 || name !== name.trim()) {
    throw new BadRequest('Invalid input for field/attribute name. It must be 1 to 255 characters, not starting or ending with whitespace.');
  }
  if (!NAME_CHARS.test(name)) throw new BadRequest('Invalid input for field/attribute name. Only expected characters: [@._- 0-9a-zA-Z]');
  return name;
}

/** Nova's fingerprint of an X.509 certificate: SHA-1 of the DER, colon-separated lowercase hex. */
function x509Fingerprint(pem: string): string {
  try {
    const der = new X509Certificate(pem).raw;
    return createHash('sha1').update(der).digest('hex').match(/../g)!.join(':');
  } catch {
    throw new BadRequest('Keypair data is invalid: failed to generate X509 fingerprint');
  }
}
