import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ADMIN_TOKENS, BadRequest, NotFound, type CreateFlavorInput, type Flavor, type FlavorListFilter, type FlavorService } from '@nubo/core';
import { body, bool, obj, str, type Schema } from '../http/json-schema.js';
import { queryInt, queryOf } from '../http/query-params.js';
import type { ComputeRouteDeps } from './route-deps.js';

type P = { Params: { id: string } };

const sizeLike = (minimum: number): Schema => ({
  anyOf: [{ type: 'integer', minimum, maximum: 0x7fffffff }, { type: 'string', pattern: '^[0-9]+$', maxLength: 10 }],
});
const boolLike: Schema = { anyOf: [bool, { type: 'string', enum: ['true', 'True', 'TRUE', 'false', 'False', 'FALSE', '1', '0', 'yes', 'no', 'on', 'off'] }] };
const description: Schema = { anyOf: [str(65535), { type: 'null' }] };

const createBody = body(obj({
  flavor: obj({
    name: str(255, 1),
    id: { anyOf: [str(255, 1), { type: 'number' }, { type: 'null' }] },
    ram: sizeLike(1),
    vcpus: sizeLike(1),
    disk: sizeLike(0),
    'OS-FLV-EXT-DATA:ephemeral': sizeLike(0),
    swap: sizeLike(0),
    rxtx_factor: { anyOf: [{ type: 'number', exclusiveMinimum: 0, maximum: 3.40282e38 }, { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?$', maxLength: 64 }] },
    'os-flavor-access:is_public': boolLike,
    description,
  }, ['name', 'ram', 'vcpus', 'disk']),
}, ['flavor']));
const updateBody = body(obj({ flavor: obj({ description }, ['description']) }, ['flavor']));

const TRUE_WORDS = ['true', '1', 'yes', 'on', 'y', 't'];
const FALSE_WORDS = ['false', '0', 'no', 'off', 'n', 'f'];

/** Nova's JSON of one flavor (`flavors/detail`, show, create). */
export function flavorJson(deps: ComputeRouteDeps, req: FastifyRequest, f: Flavor, extraSpecs: boolean): Record<string, unknown> {
  const swapAsNumber = deps.isMicroversionAtLeast(req, '2.75');
  const out: Record<string, unknown> = {
    id: f.id,
    name: f.name,
    ram: f.memoryMb,
    disk: f.rootGb,
    swap: swapAsNumber ? f.swapMb : f.swapMb || '',
    'OS-FLV-EXT-DATA:ephemeral': f.ephemeralGb,
    'OS-FLV-DISABLED:disabled': f.disabled,
    vcpus: f.vcpus,
    'os-flavor-access:is_public': f.isPublic,
    rxtx_factor: f.rxtxFactor || '',
    links: flavorLinks(deps, f.id),
  };
  if (deps.isMicroversionAtLeast(req, '2.55')) out.description = f.description;
  if (extraSpecs && deps.isMicroversionAtLeast(req, '2.61')) out.extra_specs = f.extraSpecs;
  return out;
}

function flavorLinks(deps: ComputeRouteDeps, id: string) {
  const base = deps.publicUrl();
  const enc = encodeURIComponent(id);
  return [{ rel: 'self', href: `${base}/v2.1/flavors/${enc}` }, { rel: 'bookmark', href: `${base}/flavors/${enc}` }];
}

function listFilter(req: FastifyRequest): FlavorListFilter {
  const q = queryOf(req);
  const filter: FlavorListFilter = {};
  if (q.is_public !== undefined) {
    const v = q.is_public.toLowerCase();
    if (v === 'none') filter.isPublic = null;
    else if (TRUE_WORDS.includes(v)) filter.isPublic = true;
    else if (FALSE_WORDS.includes(v)) filter.isPublic = false;
    else throw new BadRequest(`Invalid is_public filter [${q.is_public.slice(0, 64)}]`);
  }
  for (const [key, name] of [['minRam', 'minRam'], ['minDisk', 'minDisk']] as const) {
    const v = q[key];
    if (v === undefined) continue;
    if (!/^-?\d{1,10}$/.test(v)) throw new BadRequest(`Invalid ${name} filter [${v.slice(0, 64)}]`);
    filter[key] = Number(v);
  }
  filter.limit = queryInt(q, 'limit');
  if (q.marker !== undefined) filter.marker = q.marker;
  if (q.sort_key !== undefined) filter.sortKey = q.sort_key;
  if (q.sort_dir !== undefined) {
    if (q.sort_dir !== 'asc' && q.sort_dir !== 'desc') throw new BadRequest(`Invalid sort_dir ${q.sort_dir.slice(0, 64)}.`);
    filter.sortDir = q.sort_dir;
  }
  return filter;
}

function nextLinks(deps: ComputeRouteDeps, path: string, flavors: Flavor[], limit: number | undefined) {
  if (limit === undefined || limit === 0 || flavors.length < limit) return undefined;
  const last = flavors[flavors.length - 1]!;
  return [{ rel: 'next', href: `${deps.publicUrl()}/v2.1/${path}?limit=${limit}&marker=${encodeURIComponent(last.id)}` }];
}

function createInput(raw: Record<string, unknown>): CreateFlavorInput {
  const isPublic = raw['os-flavor-access:is_public'];
  const input: CreateFlavorInput = {
    name: raw.name as string,
    id: raw.id as string | number | null | undefined,
    ram: raw.ram as number,
    vcpus: raw.vcpus as number,
    disk: raw.disk as number,
    ephemeral: raw['OS-FLV-EXT-DATA:ephemeral'] as number | undefined,
    swap: raw.swap as number | undefined,
    rxtxFactor: raw.rxtx_factor as number | undefined,
    isPublic: typeof isPublic === 'string' ? TRUE_WORDS.includes(isPublic.toLowerCase()) : (isPublic as boolean | undefined),
  };
  if (raw.description !== undefined) input.description = raw.description as string | null;
  return input;
}

/** /flavors, /flavors/detail, /flavors/{id}, and flavor-manage (create, update description, delete). */
export function registerFlavorsRoutes(app: FastifyInstance, deps: ComputeRouteDeps): void {
  const flavors = () => deps.cloud.container.get<FlavorService>(ADMIN_TOKENS.Flavors);

  app.get('/v2.1/flavors', async (req) => {
    const filter = listFilter(req);
    const list = await flavors().list(deps.requestContext(req), filter);
    const withDescription = deps.isMicroversionAtLeast(req, '2.55');
    const out: Record<string, unknown> = {
      flavors: list.map((f) => ({ id: f.id, name: f.name, links: flavorLinks(deps, f.id), ...(withDescription ? { description: f.description } : {}) })),
    };
    const links = nextLinks(deps, 'flavors', list, filter.limit);
    if (links) out.flavors_links = links;
    return out;
  });

  app.get('/v2.1/flavors/detail', async (req) => {
    const ctx = deps.requestContext(req);
    const filter = listFilter(req);
    const list = await flavors().list(ctx, filter);
    const specs = flavors().canSeeExtraSpecs(ctx);
    const out: Record<string, unknown> = { flavors: list.map((f) => flavorJson(deps, req, f, specs)) };
    const links = nextLinks(deps, 'flavors/detail', list, filter.limit);
    if (links) out.flavors_links = links;
    return out;
  });

  app.get<P>('/v2.1/flavors/:id', async (req) => {
    const ctx = deps.requestContext(req);
    const f = await flavors().get(ctx, req.params.id);
    return { flavor: flavorJson(deps, req, f, flavors().canSeeExtraSpecs(ctx)) };
  });

  // Nova answers 200 (not 201) to a flavor create.
  app.post('/v2.1/flavors', { schema: createBody }, async (req) => {
    const ctx = deps.requestContext(req);
    const raw = (req.body as { flavor: Record<string, unknown> }).flavor;
    if (raw.description !== undefined && !deps.isMicroversionAtLeast(req, '2.55')) {
      throw new BadRequest("Invalid input for field/attribute flavor. Additional properties are not allowed ('description' was unexpected)");
    }
    const f = await flavors().create(ctx, createInput(raw));
    return { flavor: flavorJson(deps, req, f, flavors().canSeeExtraSpecs(ctx)) };
  });

  app.put<P>('/v2.1/flavors/:id', { schema: updateBody }, async (req) => {
    if (!deps.isMicroversionAtLeast(req, '2.55')) throw new NotFound('The resource could not be found.');
    const ctx = deps.requestContext(req);
    const f = await flavors().updateDescription(ctx, req.params.id, (req.body as { flavor: { description: string | null } }).flavor.description);
    return { flavor: flavorJson(deps, req, f, flavors().canSeeExtraSpecs(ctx)) };
  });

  app.delete<P>('/v2.1/flavors/:id', async (req, reply) => {
    await flavors().delete(deps.requestContext(req), req.params.id);
    return reply.code(202).send();
  });
}
