import type { Image, ImageVisibility } from '../model/image.js';
import type { RequestContext } from '../model/request-context.js';

export interface ImageCreateInput {
  id?: string;
  name?: string | null;
  visibility?: ImageVisibility;
  diskFormat?: string | null;
  containerFormat?: string | null;
  minDiskGb?: number;
  minRamMb?: number;
  protected?: boolean;
  properties?: Record<string, string>;
  tags?: string[];
}

export interface ImageListFilter {
  name?: string;
  status?: string;
  visibility?: ImageVisibility;
  owner?: string;
  /** Only images carrying this tag (Glance's `tag` filter). */
  tag?: string;
  /** Only images whose properties include all of these (Glance's `k=v` property filters). */
  properties?: Record<string, string>;
  limit?: number;
  marker?: string;
}

/**
 * Images, Glance v2. Every call is made with the caller's context: a project sees public
 * images, its own, and those shared with it; anything else is `NotFound`.
 */
export interface ImageService {
  list(ctx: RequestContext, filter?: ImageListFilter): Promise<Image[]>;
  get(ctx: RequestContext, id: string): Promise<Image>;
  create(ctx: RequestContext, input: ImageCreateInput): Promise<Image>;
  update(ctx: RequestContext, id: string, patch: Partial<ImageCreateInput>): Promise<Image>;
  /** Stores the bytes (queued → saving → active), computing size and checksums. */
  upload(ctx: RequestContext, id: string, data: AsyncIterable<Uint8Array>, onProgress?: (bytes: number) => void): Promise<Image>;
  download(ctx: RequestContext, id: string): Promise<AsyncIterable<Uint8Array>>;
  delete(ctx: RequestContext, id: string): Promise<void>;
  addMember(ctx: RequestContext, id: string, projectId: string): Promise<void>;
  removeMember(ctx: RequestContext, id: string, projectId: string): Promise<void>;
}
