import { ADMIN_TOKENS, adminApiModule, type Cloud } from '@nubo/core';
import type { ApiEndpoints } from '../src/index.js';
import { issueToken } from './support/http-client.js';

/** Binds the admin API services unless the cloud already does (Cloud loads adminApiModule itself once wired). */
export async function ensureAdminServices(cloud: Cloud): Promise<void> {
  if (!cloud.container.isBound(ADMIN_TOKENS.Flavors)) await cloud.container.load(adminApiModule);
}

/** A fresh project with one member user; returns a token scoped to it. */
export async function memberToken(cloud: Cloud, endpoints: ApiEndpoints, name: string): Promise<{ token: string; projectId: string; userId: string }> {
  const project = await cloud.identity.createProject({ name });
  const user = await cloud.identity.createUser({ name: `${name}-user`, password: `pw-${name}`, defaultProjectId: project.id });
  const member = (await cloud.identity.listRoles()).find((r) => r.name === 'member')!;
  await cloud.identity.assignRole({ userId: user.id, projectId: project.id, roleId: member.id });
  const { token } = await issueToken(endpoints, `${name}-user`, `pw-${name}`, name);
  return { token, projectId: project.id, userId: user.id };
}
