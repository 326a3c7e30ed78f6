import type { FastifyInstance } from 'fastify';
import { NotFound, type Cloud } from '@nubo/core';
import { requestContext } from '../http/create-app.js';
import { body } from '../http/json-schema.js';
import { memberJson } from './glance-json.js';
import { addMemberSchema, memberStatusSchema } from './image-schemas.js';

type P = { Params: { id: string } };
type PM = { Params: { id: string; member: string } };

/** /v2/images/{id}/members: share a `shared` image with other projects (always `accepted` here). */
export function registerMembersRoutes(app: FastifyInstance, cloud: Cloud): void {
  const images = cloud.images;
  const memberOf = async (req: { params: PM['Params'] } & Parameters<typeof requestContext>[0]) => {
    const image = await images.get(requestContext(req), req.params.id);
    if (!image.members.includes(req.params.member)) throw new NotFound(`${req.params.member} is not a member of image ${image.id}.`);
    return image;
  };

  app.get<P>('/v2/images/:id/members', async (req) => {
    const image = await images.get(requestContext(req), req.params.id);
    return { members: image.members.map((m) => memberJson(image, m)), schema: '/v2/schemas/members' };
  });
  app.post<P>('/v2/images/:id/members', { schema: body(addMemberSchema) }, async (req) => {
    const ctx = requestContext(req);
    const member = (req.body as { member: string }).member;
    await images.addMember(ctx, req.params.id, member);
    return memberJson(await images.get(ctx, req.params.id), member);
  });
  app.get<PM>('/v2/images/:id/members/:member', async (req) => memberJson(await memberOf(req), req.params.member));
  app.put<PM>('/v2/images/:id/members/:member', { schema: body(memberStatusSchema) }, async (req) => memberJson(await memberOf(req), req.params.member));
  app.delete<PM>('/v2/images/:id/members/:member', async (req, reply) => {
    await images.removeMember(requestContext(req), req.params.id, req.params.member);
    return reply.code(204).send();
  });
}
