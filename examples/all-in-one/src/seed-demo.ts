import { createHash } from 'node:crypto';
import type { Cloud, RequestContext } from '@nubo/core';

export const DEMO_IMAGE_NAME = 'cirros-0.6-fake';

/** The demo project with its member user; idempotent (a second start finds them). */
export async function ensureDemoProject(cloud: Cloud, password: string): Promise<void> {
  const idp = cloud.identity;
  const project = (await idp.listProjects({ name: 'demo' }))[0] ?? (await idp.createProject({ name: 'demo', description: 'Demo project' }));
  const user = (await idp.listUsers({ name: 'demo' }))[0] ?? (await idp.createUser({ name: 'demo', password, defaultProjectId: project.id }));
  const member = (await idp.listRoles()).find((r) => r.name === 'member')!;
  if (!(await idp.listRoleAssignments({ userId: user.id, projectId: project.id, roleId: member.id })).length) {
    await idp.assignRole({ userId: user.id, projectId: project.id, roleId: member.id });
  }
}

/** Bytes that stand for a small disk image: deterministic, so every start would make the same one. */
function fakeDiskBytes(size = 1024 * 1024): Uint8Array {
  const out = new Uint8Array(size);
  let block = createHash('sha256').update('nubo demo image').digest();
  for (let off = 0; off < size; off += block.length) {
    out.set(block.subarray(0, Math.min(block.length, size - off)), off);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

/** One public image, registered once; a start after a crash mid-upload registers it again. */
export async function ensureDemoImage(cloud: Cloud, admin: RequestContext): Promise<string> {
  const existing = (await cloud.images.list(admin, { name: DEMO_IMAGE_NAME })).find((i) => i.status === 'active');
  if (existing) return existing.id;
  for (const stale of await cloud.images.list(admin, { name: DEMO_IMAGE_NAME })) await cloud.images.delete(admin, stale.id);
  const image = await cloud.images.create(admin, { name: DEMO_IMAGE_NAME, diskFormat: 'raw', containerFormat: 'bare', visibility: 'public', properties: { os_distro: 'cirros' } });
  await cloud.images.upload(admin, image.id, (async function* () { yield fakeDiskBytes(); })());
  return image.id;
}
