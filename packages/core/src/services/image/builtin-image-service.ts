import { randomUUID } from 'node:crypto';
import { Brackets, type EntityManager } from 'typeorm';
import { BadRequest, Conflict, Forbidden, NotFound } from '../../errors.js';
import type { Image } from '../../model/image.js';
import type { RequestContext } from '../../model/request-context.js';
import type { ImageCreateInput, ImageListFilter, ImageService } from '../../ports/image-service.js';
import type { PolicyEngine } from '../../ports/policy-engine.js';
import type { Database } from '../../persistence/database.js';
import { ImageSchema } from '../../persistence/schemas/image-schema.js';
import { ImagePolicy } from '../../policy/image-policies.js';
import { isUniqueViolation } from '../../persistence/unique-violation.js';
import { ImageAccess } from './image-access.js';
import { ImageDataStore } from './image-data-store.js';
import { IMAGE_VISIBILITIES, isImageId, requireMemberId, validateImageInput } from './image-input-validation.js';

export interface BuiltinImageServiceOptions {
  /** Where image bytes live, one file per image. Created if missing. */
  dataDir: string;
  /** Glance's `image:*` rules; without it, ownership and the admin flag decide. */
  policy?: PolicyEngine;
  /** Largest image accepted, Glance's `image_size_cap`. Default 1 TiB. */
  maxImageSizeBytes?: number;
  /** Largest page `list` returns, Glance's `api_limit_max`. Default 1000. */
  maxPageSize?: number;
  now?: () => Date;
}

/**
 * The built-in image store, Glance v2 in miniature: metadata in the `images` table, bytes in
 * `dataDir`. An image is `queued` until its bytes are uploaded, `saving` while they stream
 * (size, MD5 `checksum` and SHA-512 `hashValue` computed on the way), then `active`; a failed
 * upload leaves it `killed` with no data. A snapshot is an image whose `instance_uuid`
 * property names the server it was taken from.
 *
 * Every call is made with the caller's context: an image the caller cannot see is `NotFound`;
 * one it can see but not change is `Forbidden`.
 */
export class BuiltinImageService implements ImageService {
  private readonly store: ImageDataStore;
  private readonly access: ImageAccess;
  private readonly maxBytes: number;
  private readonly maxPage: number;
  private readonly now: () => Date;

  constructor(private readonly db: Database, options: BuiltinImageServiceOptions) {
    if (!options?.dataDir) throw new BadRequest('The image service needs a dataDir to store image data in.');
    this.store = new ImageDataStore(options.dataDir);
    this.access = new ImageAccess(options.policy);
    this.maxBytes = options.maxImageSizeBytes ?? 2 ** 40;
    this.maxPage = options.maxPageSize ?? 1000;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Marks uploads a crash interrupted (`saving`) as `killed` and removes their partial files.
   * Call at start-up, when no upload can be in flight.
   */
  async recoverInterruptedUploads(): Promise<number> {
    await this.store.removePartialFiles();
    const result = await this.db.repo(ImageSchema).update({ status: 'saving' }, { status: 'killed', updatedAt: this.now() });
    return result.affected ?? 0;
  }

  async list(ctx: RequestContext, filter: ImageListFilter = {}): Promise<Image[]> {
    const f = this.checkedFilter(filter);
    this.access.authorizeRead(ctx, ImagePolicy.getImages, { ownerId: ctx.projectId });
    if (f.limit === 0) return [];
    const qb = this.db.repo(ImageSchema).createQueryBuilder('i');
    qb.where('1 = 1');
    if (!ctx.isAdmin) {
      if (f.visibility === 'community') qb.andWhere('i.visibility = :community', { community: 'community' });
      else {
        qb.andWhere(new Brackets((w) => {
          w.where('i.visibility = :public', { public: 'public' })
            .orWhere('i.ownerId = :me', { me: ctx.projectId })
            .orWhere("(i.visibility = :shared AND i.members LIKE :pattern ESCAPE '!')", { shared: 'shared', pattern: memberPattern(ctx.projectId) });
        }));
      }
    }
    if (f.visibility) qb.andWhere('i.visibility = :visibility', { visibility: f.visibility });
    if (f.name !== undefined) qb.andWhere('i.name = :name', { name: f.name });
    if (f.status) qb.andWhere('i.status = :status', { status: f.status });
    if (f.owner) qb.andWhere('i.ownerId = :owner', { owner: f.owner });
    if (f.tag !== undefined) qb.andWhere("i.tags LIKE :tag ESCAPE '!'", { tag: jsonFragmentPattern(JSON.stringify(f.tag)) });
    Object.entries(f.properties ?? {}).forEach(([key, value], n) => {
      qb.andWhere(`i.properties LIKE :prop${n} ESCAPE '!'`, { [`prop${n}`]: jsonFragmentPattern(`${JSON.stringify(key)}:${JSON.stringify(value)}`) });
    });
    if (f.marker) {
      const marker = await this.visibleOrNull(ctx, f.marker);
      if (!marker) throw new BadRequest(`Invalid marker: image ${f.marker} could not be found.`);
      const at = marker.createdAt.getTime();
      qb.andWhere(new Brackets((w) => {
        w.where('i.createdAt < :at', { at }).orWhere('(i.createdAt = :at AND i.id < :markerId)', { at, markerId: marker.id });
      }));
    }
    qb.orderBy('i.createdAt', 'DESC').addOrderBy('i.id', 'DESC').limit(f.limit ?? this.maxPage);
    const rows = await qb.getMany();
    // LIKE finds candidates; membership, tags and properties are confirmed exactly.
    return rows.filter((img) => this.access.canSee(ctx, img) && matchesJsonFilters(img, f));
  }

  async get(ctx: RequestContext, id: string): Promise<Image> {
    const image = await this.visibleOrNull(ctx, id);
    if (!image) throw notFound(id);
    this.access.authorizeRead(ctx, ImagePolicy.getImage, image);
    return image;
  }

  async create(ctx: RequestContext, input: ImageCreateInput): Promise<Image> {
    if (!ctx?.projectId) throw new Forbidden('Creating an image needs a token scoped to a project (the image’s owner).');
    const v = validateImageInput(input ?? {}, true);
    const visibility = v.visibility ?? 'shared';
    this.access.authorize(ctx, ImagePolicy.addImage, { ownerId: ctx.projectId });
    this.access.authorizeVisibility(ctx, visibility, ctx.projectId);
    const now = this.now();
    const image: Image = {
      id: v.id ?? randomUUID(),
      name: v.name ?? null,
      status: 'queued',
      visibility,
      ownerId: ctx.projectId,
      diskFormat: v.diskFormat ?? null,
      containerFormat: v.containerFormat ?? null,
      minDiskGb: v.minDiskGb ?? 0,
      minRamMb: v.minRamMb ?? 0,
      sizeBytes: null,
      checksum: null,
      hashValue: null,
      protected: v.protected ?? false,
      properties: v.properties ?? {},
      tags: v.tags ?? [],
      members: [],
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.db.repo(ImageSchema).insert(image);
    } catch (err) {
      if (isUniqueViolation(err)) throw new Conflict(`An image with id ${image.id} already exists.`);
      throw err;
    }
    return image;
  }

  /**
   * Changes the given attributes. `properties` and `tags`, when given, replace the whole map or
   * list (apply a JSON patch to the current image first). Formats change only while queued.
   */
  async update(ctx: RequestContext, id: string, patch: Partial<ImageCreateInput>): Promise<Image> {
    const v = validateImageInput(patch ?? {}, false);
    return this.mutate(ctx, id, (image) => {
      this.access.authorize(ctx, ImagePolicy.modifyImage, image);
      if (v.visibility !== undefined && v.visibility !== image.visibility) this.access.authorizeVisibility(ctx, v.visibility, image.ownerId);
      for (const key of ['diskFormat', 'containerFormat'] as const) {
        if (v[key] !== undefined && v[key] !== image[key] && image.status !== 'queued') {
          throw new Forbidden(`Attribute ${key === 'diskFormat' ? 'disk_format' : 'container_format'} can be only replaced for a queued image.`);
        }
      }
      return { ...image, ...v, id: image.id };
    });
  }

  async upload(ctx: RequestContext, id: string, data: AsyncIterable<Uint8Array>, onProgress?: (bytes: number) => void): Promise<Image> {
    if (!data || typeof (data as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] !== 'function') {
      throw new BadRequest('Image data must be a stream of bytes.');
    }
    await this.mutate(ctx, id, (image) => {
      this.access.authorize(ctx, ImagePolicy.uploadImage, image);
      if (image.status !== 'queued') {
        throw new Conflict(`Image ${id} is ${image.status}: data can only be uploaded to a queued image.`);
      }
      return { ...image, status: 'saving' };
    });
    let stored;
    try {
      stored = await this.store.write(id, data, this.maxBytes, onProgress);
    } catch (err) {
      await this.db.repo(ImageSchema).update({ id, status: 'saving' }, { status: 'killed', updatedAt: this.now() });
      throw err;
    }
    const finished = await this.db.transaction(async (tx) => {
      const image = await this.lockedFind(tx, id);
      if (!image || image.status !== 'saving') return null;
      const done: Image = { ...image, ...stored, status: 'active', updatedAt: this.now() };
      await this.db.repo(ImageSchema, tx).update({ id }, done);
      return done;
    });
    if (!finished) {
      await this.store.remove(id);
      throw new Conflict(`Image ${id} was deleted while its data was being uploaded.`);
    }
    return finished;
  }

  async download(ctx: RequestContext, id: string): Promise<AsyncIterable<Uint8Array>> {
    const image = await this.get(ctx, id);
    this.access.authorizeRead(ctx, ImagePolicy.downloadImage, image);
    if (image.status !== 'active') throw new Conflict(`Image ${id} has no data to download: its status is ${image.status}.`);
    return this.store.read(id);
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const image = await this.lockedFind(tx, id);
      if (!image || !this.access.canSee(ctx, image)) throw notFound(id);
      this.access.authorize(ctx, ImagePolicy.deleteImage, image);
      if (image.protected) throw new Forbidden(`Image ${id} is protected and cannot be deleted.`);
      await this.db.repo(ImageSchema, tx).delete({ id });
    });
    await this.store.remove(id);
  }

  /** Shares a `shared` image with another project. Sharing twice is a `Conflict`, as in Glance. */
  async addMember(ctx: RequestContext, id: string, projectId: string): Promise<void> {
    const member = requireMemberId(projectId);
    await this.mutate(ctx, id, (image) => {
      this.access.authorize(ctx, ImagePolicy.addMember, image);
      if (image.visibility !== 'shared') {
        throw new Forbidden(`Image ${id} is ${image.visibility}: only images with visibility "shared" can have members.`);
      }
      if (image.members.includes(member)) throw new Conflict(`Project ${member} is already a member of image ${id}.`);
      return { ...image, members: [...image.members, member] };
    });
  }

  async removeMember(ctx: RequestContext, id: string, projectId: string): Promise<void> {
    const member = requireMemberId(projectId);
    await this.mutate(ctx, id, (image) => {
      this.access.authorize(ctx, ImagePolicy.deleteMember, image);
      if (!image.members.includes(member)) throw new NotFound(`Project ${member} is not a member of image ${id}.`);
      return { ...image, members: image.members.filter((m) => m !== member) };
    });
  }

  // ---- internals

  /** Read-check-write of one image in a transaction (row-locked where the engine can). */
  private mutate(ctx: RequestContext, id: string, change: (image: Image) => Image): Promise<Image> {
    return this.db.transaction(async (tx) => {
      const image = await this.lockedFind(tx, id);
      if (!image || !this.access.canSee(ctx, image)) throw notFound(id);
      const next = { ...change(image), updatedAt: this.now() };
      await this.db.repo(ImageSchema, tx).update({ id }, next);
      return next;
    });
  }

  private async lockedFind(tx: EntityManager, id: string): Promise<Image | null> {
    if (!isImageId(id)) return null;
    const qb = this.db.repo(ImageSchema, tx).createQueryBuilder('i').where('i.id = :id', { id: id.toLowerCase() });
    if (this.db.engine !== 'sqlite') qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  private async visibleOrNull(ctx: RequestContext, id: string): Promise<Image | null> {
    if (!isImageId(id)) return null;
    const image = await this.db.repo(ImageSchema).findOneBy({ id: id.toLowerCase() });
    return image && this.access.canSee(ctx, image) ? image : null;
  }

  private checkedFilter(filter: ImageListFilter): ImageListFilter {
    if (!filter || typeof filter !== 'object') throw new BadRequest('An image filter must be an object.');
    const f = { ...filter };
    if (f.limit !== undefined) {
      if (typeof f.limit !== 'number' || !Number.isInteger(f.limit) || f.limit < 0) {
        throw new BadRequest(`limit must be a whole number of 0 or more, got ${String(f.limit)}.`);
      }
      f.limit = Math.min(f.limit, this.maxPage);
    }
    if (f.visibility !== undefined && !IMAGE_VISIBILITIES.includes(f.visibility)) {
      throw new BadRequest(`Invalid visibility "${String(f.visibility)}": use one of ${IMAGE_VISIBILITIES.join(', ')}.`);
    }
    if (f.properties !== undefined) {
      if (!f.properties || typeof f.properties !== 'object' || Array.isArray(f.properties)
        || Object.values(f.properties).some((v) => typeof v !== 'string')) {
        throw new BadRequest('The properties filter must be an object of strings.');
      }
    }
    for (const key of ['name', 'status', 'owner', 'marker', 'tag'] as const) {
      const value = f[key];
      if (value !== undefined && (typeof value !== 'string' || value.length > 255)) {
        throw new BadRequest(`The ${key} filter must be a string of at most 255 characters.`);
      }
    }
    return f;
  }
}

function notFound(id: string): NotFound {
  return new NotFound(`No image found with ID ${id}`);
}

/** A LIKE pattern matching a JSON list that contains `projectId`, with `!` as the escape. */
function memberPattern(projectId: string): string {
  return jsonFragmentPattern(JSON.stringify(projectId));
}

/** A LIKE pattern for JSON text containing `fragment`, with `!` as the escape character. */
function jsonFragmentPattern(fragment: string): string {
  return `%${fragment.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

function matchesJsonFilters(image: Image, f: ImageListFilter): boolean {
  if (f.tag !== undefined && !image.tags.includes(f.tag)) return false;
  return Object.entries(f.properties ?? {}).every(([k, v]) => image.properties[k] === v);
}
