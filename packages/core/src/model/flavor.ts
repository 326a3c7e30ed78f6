/** A virtual hardware template. */
export interface Flavor {
  id: string;
  name: string;
  memoryMb: number;
  vcpus: number;
  rootGb: number;
  ephemeralGb: number;
  swapMb: number;
  rxtxFactor: number;
  isPublic: boolean;
  disabled: boolean;
  description: string | null;
  extraSpecs: Record<string, string>;
  /** Projects that may use a private flavor. */
  projects: string[];
}

/** The five flavors every Nova cloud starts with (ids 1–5). */
export const DEFAULT_FLAVORS: readonly Omit<Flavor, 'projects' | 'extraSpecs' | 'description' | 'disabled'>[] = [
  { id: '1', name: 'm1.tiny', memoryMb: 512, rootGb: 1, ephemeralGb: 0, swapMb: 0, vcpus: 1, rxtxFactor: 1.0, isPublic: true },
  { id: '2', name: 'm1.small', memoryMb: 2048, rootGb: 20, ephemeralGb: 0, swapMb: 0, vcpus: 1, rxtxFactor: 1.0, isPublic: true },
  { id: '3', name: 'm1.medium', memoryMb: 4096, rootGb: 40, ephemeralGb: 0, swapMb: 0, vcpus: 2, rxtxFactor: 1.0, isPublic: true },
  { id: '4', name: 'm1.large', memoryMb: 8192, rootGb: 80, ephemeralGb: 0, swapMb: 0, vcpus: 4, rxtxFactor: 1.0, isPublic: true },
  { id: '5', name: 'm1.xlarge', memoryMb: 16384, rootGb: 160, ephemeralGb: 0, swapMb: 0, vcpus: 8, rxtxFactor: 1.0, isPublic: true },
];

/** A private flavor is usable only by the projects it was shared with (and by admins). */
export function canUseFlavor(flavor: Pick<Flavor, 'isPublic' | 'projects'>, ctx: { projectId: string; isAdmin: boolean }): boolean {
  return flavor.isPublic || ctx.isAdmin || flavor.projects.includes(ctx.projectId);
}
