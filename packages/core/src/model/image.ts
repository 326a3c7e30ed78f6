export type ImageStatus = 'queued' | 'saving' | 'uploading' | 'importing' | 'active' | 'killed' | 'deleted' | 'deactivated';
export type ImageVisibility = 'public' | 'private' | 'shared' | 'community';

/** An image as Glance v2 describes it. */
export interface Image {
  id: string;
  name: string | null;
  status: ImageStatus;
  visibility: ImageVisibility;
  ownerId: string;
  diskFormat: string | null;
  containerFormat: string | null;
  minDiskGb: number;
  minRamMb: number;
  sizeBytes: number | null;
  /** MD5 of the bytes, Glance's `checksum`. */
  checksum: string | null;
  /** SHA-512 of the bytes, Glance's `os_hash_value`. */
  hashValue: string | null;
  protected: boolean;
  /** Free-form properties; a snapshot carries `instance_uuid` (the server it came from). */
  properties: Record<string, string>;
  tags: string[];
  /** Projects an image of visibility `shared` is shared with. */
  members: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** Dates arrive as strings over RPC. */
export function reviveImage(i: Image): Image {
  return { ...i, createdAt: new Date(i.createdAt), updatedAt: new Date(i.updatedAt) };
}
