import { randomUUID } from 'node:crypto';
import { BadRequest, Conflict, NotFound } from '../../errors.js';
import { canUseFlavor, type Flavor } from '../../model/flavor.js';
import type { RequestContext } from '../../model/request-context.js';
import { ComputePolicy } from '../../policy/compute-policies.js';
import type { Database } from '../../persistence/database.js';
import { FlavorSchema } from '../../persistence/schemas/index.js';
import type { PolicyEngine } from '../../ports/policy-engine.js';

/** Query of GET /flavors and /flavors/detail. */
export interface FlavorListFilter {
  /** Admin only: `true` public (default), `false` private, `null` both. Ignored for others. */
  isPublic?: boolean | null;
  /** Flavors with at least this much RAM (MB). */
  minRam?: number;
  /** Flavors with at least this much root disk (GB). */
  minDisk?: number;
  limit?: number;
  /** The flavor id after which the page starts. */
  marker?: string;
  /** Nova's column names: flavorid (default), name, memory_mb, vcpus, root_gb, ephemeral_gb, swap, rxtx_factor. */
  sortKey?: string;
  sortDir?: 'asc' | 'desc';
}

/** Body of POST /flavors (flavor-manage), already parsed. */
export interface CreateFlavorInput {
  name: string;
  /** Given by the caller, or generated (a UUID) when absent or null. */
  id?: string | number | null;
  ram: number;
  vcpus: number;
  disk: number;
  ephemeral?: number;
  swap?: number;
  rxtxFactor?: number;
  isPublic?: boolean;
  description?: string | null;
}

export interface FlavorAccess {
  flavorId: string;
  tenantId: string;
}

const MAX_INT = 0x7fffffff;
const SQL_SP_FLOAT_MAX = 3.40282e38;
const FLAVOR_ID = /^(?! )[a-zA-Z0-9. _-]+(?<! )$/;
const EXTRA_SPEC_KEY = /^[a-zA-Z0-9-_:. ]{1,255}$/;
const SORT_KEYS: Record<string, keyof Flavor> = {
  flavorid: 'id', id: 'id', name: 'name', memory_mb: 'memoryMb', vcpus: 'vcpus', root_gb: 'rootGb',
  ephemeral_gb: 'ephemeralGb', swap: 'swapMb', rxtx_factor: 'rxtxFactor', is_public: 'isPublic',
};

/**
 * Flavors, flavor access and extra specs: Nova's flavors, flavor-manage, os-flavor-access and
 * os-flavor-extra-specs. A private flavor is invisible (404) to projects it was not shared with.
 */
export class FlavorService {
  constructor(
    private readonly db: Database,
    private readonly policy: PolicyEngine,
    /** Tells whether a project exists (flavor access may only be given to real projects). */
    private readonly projectExists: (projectId: string) => Promise<boolean> = async () => true,
  ) {}

  async list(ctx: RequestContext, filter: FlavorListFilter = {}): Promise<Flavor[]> {
    const sortKey = filter.sortKey ?? 'flavorid';
    const field = SORT_KEYS[sortKey];
    if (!field) throw new BadRequest(`Invalid sort_key ${sortKey}.`);
    if (filter.sortDir !== undefined && filter.sortDir !== 'asc' && filter.sortDir !== 'desc') {
      throw new BadRequest(`Invalid sort_dir ${String(filter.sortDir)}.`);
    }
    const minRam = checkFilterInt(filter.minRam, 'minRam');
    const minDisk = checkFilterInt(filter.minDisk, 'minDisk');
    const limit = filter.limit;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw new BadRequest('limit param must be an integer');
    let rows = await this.db.repo(FlavorSchema).find();
    if (ctx.isAdmin) {
      const isPublic = filter.isPublic === undefined ? true : filter.isPublic;
      // Nova: is_public=True also lists private flavors the caller's project was given.
      if (isPublic === true) rows = rows.filter((f) => f.isPublic || f.projects.includes(ctx.projectId));
      else if (isPublic === false) rows = rows.filter((f) => !f.isPublic);
    } else {
      rows = rows.filter((f) => !f.disabled && canUseFlavor(f, ctx));
    }
    if (minRam !== undefined) rows = rows.filter((f) => f.memoryMb >= minRam);
    if (minDisk !== undefined) rows = rows.filter((f) => f.rootGb >= minDisk);
    const dir = filter.sortDir === 'desc' ? -1 : 1;
    rows.sort((a, b) => dir * (compare(a[field], b[field]) || compare(a.id, b.id)));
    if (filter.marker !== undefined) {
      const at = rows.findIndex((f) => f.id === filter.marker);
      if (at < 0) throw new BadRequest(`marker [${filter.marker}] not found`);
      rows = rows.slice(at + 1);
    }
    return limit === undefined ? rows : rows.slice(0, limit);
  }

  /** A flavor the caller may see. @throws NotFound "Flavor X could not be found." */
  async get(ctx: RequestContext, flavorId: string): Promise<Flavor> {
    const flavor = typeof flavorId === 'string' && flavorId.length <= 255 ? await this.db.repo(FlavorSchema).findOneBy({ id: flavorId }) : null;
    if (!flavor || !canUseFlavor(flavor, ctx)) throw new NotFound(`Flavor ${flavorId} could not be found.`);
    return flavor;
  }

  /** Whether the caller may read extra specs (they are shown in flavor views from 2.61 when allowed). */
  canSeeExtraSpecs(ctx: RequestContext): boolean {
    return this.policy.check(ctx, ComputePolicy.flavorExtraSpecs.index, { project_id: ctx.projectId });
  }

  /** @throws Conflict "Flavor with name X already exists." / "Flavor with ID X already exists." */
  async create(ctx: RequestContext, input: CreateFlavorInput): Promise<Flavor> {
    this.policy.enforce(ctx, ComputePolicy.flavorManage.create, {});
    const flavor = validateCreate(input);
    return this.db.transaction(async (tx) => {
      const repo = tx.getRepository(FlavorSchema);
      if (await repo.findOneBy({ name: flavor.name })) throw new Conflict(`Flavor with name ${flavor.name} already exists.`);
      if (await repo.findOneBy({ id: flavor.id })) throw new Conflict(`Flavor with ID ${flavor.id} already exists.`);
      await repo.insert(flavor);
      return flavor;
    });
  }

  /** Sets the description (2.55+: the only attribute a flavor update may change). */
  async updateDescription(ctx: RequestContext, flavorId: string, description: string | null): Promise<Flavor> {
    this.policy.enforce(ctx, ComputePolicy.flavorManage.update, {});
    checkDescription(description);
    const flavor = await this.get(ctx, flavorId);
    await this.db.repo(FlavorSchema).update({ id: flavor.id }, { description });
    return { ...flavor, description };
  }

  async delete(ctx: RequestContext, flavorId: string): Promise<void> {
    this.policy.enforce(ctx, ComputePolicy.flavorManage.delete, {});
    const flavor = await this.get(ctx, flavorId);
    await this.db.repo(FlavorSchema).delete({ id: flavor.id });
  }

  /** The projects a private flavor is shared with. @throws NotFound for a public flavor, as Nova does. */
  async listAccess(ctx: RequestContext, flavorId: string): Promise<FlavorAccess[]> {
    this.policy.enforce(ctx, ComputePolicy.flavorAccess.list, { project_id: ctx.projectId });
    const flavor = await this.get(ctx, flavorId);
    if (flavor.isPublic) throw new NotFound('Access list not available for public flavors.');
    return accessOf(flavor);
  }

  async addAccess(ctx: RequestContext, flavorId: string, projectId: string): Promise<FlavorAccess[]> {
    this.policy.enforce(ctx, ComputePolicy.flavorAccess.addTenantAccess, {});
    checkTenant(projectId);
    if (!(await this.projectExists(projectId))) throw new BadRequest(`Project ID ${projectId} is not a valid project.`);
    return this.changeAccess(ctx, flavorId, (f) => {
      if (f.isPublic) throw new Conflict('Can not add access to a public flavor.');
      if (f.projects.includes(projectId)) {
        throw new Conflict(`Flavor access already exists for flavor ${f.id} and project ${projectId} combination.`);
      }
      return [...f.projects, projectId];
    });
  }

  async removeAccess(ctx: RequestContext, flavorId: string, projectId: string): Promise<FlavorAccess[]> {
    this.policy.enforce(ctx, ComputePolicy.flavorAccess.removeTenantAccess, {});
    checkTenant(projectId);
    return this.changeAccess(ctx, flavorId, (f) => {
      if (!f.projects.includes(projectId)) throw new NotFound(`Flavor access not found for ${f.id} / ${projectId} combination.`);
      return f.projects.filter((p) => p !== projectId);
    });
  }

  async listExtraSpecs(ctx: RequestContext, flavorId: string): Promise<Record<string, string>> {
    this.policy.enforce(ctx, ComputePolicy.flavorExtraSpecs.index, { project_id: ctx.projectId });
    return (await this.get(ctx, flavorId)).extraSpecs;
  }

  async getExtraSpec(ctx: RequestContext, flavorId: string, key: string): Promise<string> {
    this.policy.enforce(ctx, ComputePolicy.flavorExtraSpecs.show, { project_id: ctx.projectId });
    const specs = (await this.get(ctx, flavorId)).extraSpecs;
    if (!Object.hasOwn(specs, key)) throw new NotFound(`Flavor ${flavorId} has no extra specs with key ${key}.`);
    return specs[key]!;
  }

  /** Merges `specs` into the flavor's extra specs (POST …/os-extra_specs); returns what was set. */
  async setExtraSpecs(ctx: RequestContext, flavorId: string, specs: Record<string, string | number>): Promise<Record<string, string>> {
    this.policy.enforce(ctx, ComputePolicy.flavorExtraSpecs.create, {});
    const clean = checkExtraSpecs(specs);
    await this.changeSpecs(ctx, flavorId, (cur) => ({ ...cur, ...clean }));
    return clean;
  }

  /** Sets one key (PUT …/os-extra_specs/{key}); the body must name exactly that key. */
  async setExtraSpec(ctx: RequestContext, flavorId: string, key: string, body: Record<string, string | number>): Promise<Record<string, string>> {
    this.policy.enforce(ctx, ComputePolicy.flavorExtraSpecs.update, {});
    const clean = checkExtraSpecs(body);
    if (Object.keys(clean).length !== 1) throw new BadRequest('Request body must contain exactly one extra spec.');
    if (!Object.hasOwn(clean, key)) throw new BadRequest('Request body and URI mismatch');
    await this.changeSpecs(ctx, flavorId, (cur) => ({ ...cur, ...clean }));
    return clean;
  }

  async deleteExtraSpec(ctx: RequestContext, flavorId: string, key: string): Promise<void> {
    this.policy.enforce(ctx, ComputePolicy.flavorExtraSpecs.delete, {});
    await this.changeSpecs(ctx, flavorId, (cur) => {
      if (!Object.hasOwn(cur, key)) throw new NotFound(`Flavor ${flavorId} has no extra specs with key ${key}.`);
      const { [key]: _gone, ...rest } = cur;
      return rest;
    });
  }

  private async changeAccess(ctx: RequestContext, flavorId: string, next: (f: Flavor) => string[]): Promise<FlavorAccess[]> {
    const flavor = await this.get(ctx, flavorId);
    return this.db.transaction(async (tx) => {
      const repo = tx.getRepository(FlavorSchema);
      const cur = await repo.findOneBy({ id: flavor.id });
      if (!cur) throw new NotFound(`Flavor ${flavorId} could not be found.`);
      const projects = next(cur);
      await repo.update({ id: cur.id }, { projects });
      return accessOf({ ...cur, projects });
    });
  }

  private async changeSpecs(ctx: RequestContext, flavorId: string, next: (cur: Record<string, string>) => Record<string, string>): Promise<void> {
    const flavor = await this.get(ctx, flavorId);
    await this.db.transaction(async (tx) => {
      const repo = tx.getRepository(FlavorSchema);
      const cur = await repo.findOneBy({ id: flavor.id });
      if (!cur) throw new NotFound(`Flavor ${flavorId} could not be found.`);
      await repo.update({ id: cur.id }, { extraSpecs: next(cur.extraSpecs) });
    });
  }
}

function accessOf(f: Flavor): FlavorAccess[] {
  return f.projects.map((tenantId) => ({ flavorId: f.id, tenantId }));
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function checkFilterInt(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new BadRequest(`Invalid ${name} filter [${String(v)}]`);
  return v;
}

function checkInt(v: unknown, name: string, min: number): number {
  const n = typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new BadRequest(`Invalid input received: ${name} must be an integer`);
  if (n < min) throw new BadRequest(`Invalid input received: ${name} must be >= ${min}`);
  if (n > MAX_INT) throw new BadRequest(`Invalid input received: ${name} must be <= ${MAX_INT}`);
  return n;
}

function checkDescription(d: unknown): asserts d is string | null {
  if (d !== null && (typeof d !== 'string' || d.length > 65535 || /[\u0000-\u001f\u007f]/.test(d.replace(/[\n\r\t]/g, '')))) {
    throw new BadRequest('Invalid input for field/attribute description.');
  }
}

function checkTenant(t: unknown): asserts t is string {
  if (typeof t !== 'string' || t.length < 1 || t.length > 255) throw new BadRequest('Invalid input for field/attribute tenant.');
}

/** Nova's flavor name rule: 1-255 printable characters, no leading or trailing whitespace. */
export function checkPrintableName(name: unknown): string {
  if (typeof name !== 'string' || name.length < 1 || name.length > 255 || name !== name.trim() || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new BadRequest('Invalid input for field/attribute name. It must be 1 to 255 printable characters, not starting or ending with whitespace.');
  }
  return name;
}

function validateCreate(input: CreateFlavorInput): Flavor {
  if (typeof input !== 'object' || input === null) throw new BadRequest('Invalid input: a flavor body is required.');
  const name = checkPrintableName(input.name);
  let id: string;
  if (input.id === undefined || input.id === null || input.id === '') id = randomUUID();
  else if (typeof input.id === 'number' && Number.isFinite(input.id)) id = String(input.id);
  else if (typeof input.id === 'string' && input.id.length <= 255 && FLAVOR_ID.test(input.id)) id = input.id;
  else throw new BadRequest(`Invalid input for field/attribute id. Value: ${String(input.id)}.`);
  const rxtx = input.rxtxFactor ?? 1.0;
  const rxtxNum = typeof rxtx === 'string' && /^[0-9]+(\.[0-9]+)?$/.test(rxtx) ? Number(rxtx) : rxtx;
  if (typeof rxtxNum !== 'number' || !Number.isFinite(rxtxNum) || rxtxNum <= 0 || rxtxNum > SQL_SP_FLOAT_MAX) {
    throw new BadRequest(`Invalid input received: 'rxtx_factor' argument must be a float between 0 and ${SQL_SP_FLOAT_MAX}`);
  }
  const isPublic = input.isPublic ?? true;
  if (typeof isPublic !== 'boolean') throw new BadRequest('Invalid input received: is_public must be a boolean');
  const description = input.description ?? null;
  checkDescription(description);
  return {
    id, name,
    memoryMb: checkInt(input.ram, 'ram', 1),
    vcpus: checkInt(input.vcpus, 'vcpus', 1),
    rootGb: checkInt(input.disk, 'disk', 0),
    ephemeralGb: checkInt(input.ephemeral ?? 0, 'ephemeral', 0),
    swapMb: checkInt(input.swap ?? 0, 'swap', 0),
    rxtxFactor: rxtxNum, isPublic, disabled: false, description, extraSpecs: {}, projects: [],
  };
}

/** Extra specs: keys of [a-zA-Z0-9-_:. ] (1-255), values strings or numbers of at most 255 characters. */
function checkExtraSpecs(specs: unknown): Record<string, string> {
  if (typeof specs !== 'object' || specs === null || Array.isArray(specs)) {
    throw new BadRequest('Invalid input for field/attribute extra_specs. It must be an object.');
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(specs)) {
    if (!EXTRA_SPEC_KEY.test(k)) {
      throw new BadRequest('Key Names can only contain alphanumeric characters, periods, dashes, underscores, colons and spaces.');
    }
    if (typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) {
      throw new BadRequest(`Invalid input for field/attribute ${k}. Value: ${JSON.stringify(v)}. It must be a string or a number.`);
    }
    const s = String(v);
    if (s.length > 255) throw new BadRequest('Invalid input received: extra_specs value has more than 255 characters.');
    out[k] = s;
  }
  return out;
}
