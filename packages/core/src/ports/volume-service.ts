import type { RequestContext } from '../model/request-context.js';
import type { Volume } from '../model/volume.js';

/**
 * Persistent volumes, Cinder-like: creating → available → attaching → in-use → detaching →
 * available; one attachment at a time.
 */
export interface VolumeService {
  list(ctx: RequestContext): Promise<Volume[]>;
  get(ctx: RequestContext, id: string): Promise<Volume>;
  create(ctx: RequestContext, input: { name?: string | null; sizeGb: number }): Promise<Volume>;
  delete(ctx: RequestContext, id: string): Promise<void>;
  /** available → attaching; `Conflict` from any other status. */
  reserve(ctx: RequestContext, id: string, instanceUuid: string): Promise<Volume>;
  /** The connection info a driver attaches (file path, iSCSI target, …). */
  initializeConnection(ctx: RequestContext, id: string, host: string): Promise<Record<string, unknown>>;
  /** attaching → in-use. */
  attach(ctx: RequestContext, id: string, instanceUuid: string, device: string): Promise<Volume>;
  /** in-use → available (via detaching). */
  detach(ctx: RequestContext, id: string): Promise<Volume>;
  /** attaching → available, after a failed attach. */
  unreserve(ctx: RequestContext, id: string): Promise<Volume>;
}
