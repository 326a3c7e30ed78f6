/** The resources a project's quota limits. -1 means unlimited. */
export const QUOTA_RESOURCES = [
  'instances', 'cores', 'ram', 'key_pairs', 'metadata_items', 'server_groups',
  'server_group_members', 'fixed_ips', 'floating_ips', 'volumes',
  'injected_files', 'injected_file_content_bytes', 'injected_file_path_bytes',
] as const;
export type QuotaResource = (typeof QUOTA_RESOURCES)[number];

export type QuotaLimits = Record<QuotaResource, number>;

/** Nova's and Cinder's defaults. */
export const DEFAULT_QUOTAS: QuotaLimits = {
  instances: 10,
  cores: 20,
  ram: 51200,
  key_pairs: 100,
  metadata_items: 128,
  server_groups: 10,
  server_group_members: 10,
  fixed_ips: -1,
  floating_ips: 10,
  volumes: 10,
  injected_files: 5,
  injected_file_content_bytes: 10240,
  injected_file_path_bytes: 255,
};

/** Usage of a project's counted resources (those backed by rows, not per-request limits). */
export interface QuotaUsage {
  instances: number;
  cores: number;
  ram: number;
}

export type QuotaDelta = Partial<Record<QuotaResource, number>>;
