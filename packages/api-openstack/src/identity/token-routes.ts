import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BadRequest, IdentityPolicy, NotFound, Unauthorized, type TokenInfo, type TokenScope } from '@nubo/core';
import { body } from '../http/json-schema.js';
import { queryOf } from '../http/query-params.js';
import type { IdentityRouteDeps } from './identity-deps.js';
import { catalogJson, collection, projectJson, tokenJson } from './keystone-json.js';
import { authSchema } from './token-schemas.js';

interface Ref { id?: string; name?: string; domain?: { id?: string; name?: string } }
interface AuthBody {
  auth: {
    identity: { methods: string[]; password?: { user: Ref & { password: string } }; token?: { id: string } };
    scope?: 'unscoped' | { project: Ref } | { domain: { id?: string; name?: string } };
  };
}

function scopeOf(s: AuthBody['auth']['scope']): TokenScope {
  if (s === undefined || s === 'unscoped') return null;
  if ('project' in s) return { project: { id: s.project.id, name: s.project.name, domainId: s.project.domain?.id, domainName: s.project.domain?.name } };
  return { domain: { id: s.domain.id, name: s.domain.name } };
}

/** /v3/auth/tokens (issue, validate, check, revoke), /v3/auth/projects and /v3/auth/catalog. */
export function registerTokenRoutes(app: FastifyInstance, deps: IdentityRouteDeps): void {
  const { cloud } = deps;

  const render = async (req: FastifyRequest, info: TokenInfo) => {
    const noCatalog = 'nocatalog' in queryOf(req);
    return tokenJson(info, await cloud.identity.listDomains(), noCatalog ? null : catalogJson(deps.endpoints(), deps.region()));
  };

  app.post('/v3/auth/tokens', { config: { public: true }, schema: body(authSchema) }, async (req, reply) => {
    const { identity, scope } = (req.body as AuthBody).auth;
    const s = scopeOf(scope);
    let info: TokenInfo;
    if (identity.methods.includes('password')) {
      const u = identity.password?.user;
      if (!u) throw new BadRequest('Expecting to find password in identity.');
      info = await cloud.identity.authenticatePassword(
        { user: { id: u.id, name: u.name, domainId: u.domain?.id, domainName: u.domain?.name }, password: u.password }, s);
    } else {
      const token = identity.token?.id ?? req.headers['x-auth-token'];
      if (typeof token !== 'string') throw new BadRequest('Expecting to find token in identity.');
      info = await cloud.identity.authenticateToken(token, s);
    }
    reply.code(201).header('x-subject-token', info.token);
    return render(req, info);
  });

  /** The subject token, validated; another user's token needs the admin role. */
  const subject = async (req: FastifyRequest, rule: string): Promise<TokenInfo> => {
    const ctx = deps.requestContext(req);
    const subjectToken = req.headers['x-subject-token'];
    if (typeof subjectToken !== 'string' || !subjectToken) throw new BadRequest('X-Subject-Token is required.');
    let info: TokenInfo;
    try {
      info = await cloud.identity.validateToken(subjectToken);
    } catch (err) {
      if (err instanceof Unauthorized) throw new NotFound('Could not find token.');
      throw err;
    }
    deps.policy.enforce(ctx, rule, { 'target.token.user_id': info.userId });
    return info;
  };

  app.get('/v3/auth/tokens', async (req, reply) => {
    const info = await subject(req, IdentityPolicy.validateToken);
    reply.header('x-subject-token', info.token);
    return render(req, info);
  });

  app.head('/v3/auth/tokens', async (req, reply: FastifyReply) => {
    const info = await subject(req, IdentityPolicy.checkToken);
    return reply.code(200).header('x-subject-token', info.token).send();
  });

  app.delete('/v3/auth/tokens', async (req, reply) => {
    const info = await subject(req, IdentityPolicy.revokeToken);
    await cloud.identity.revokeToken(info.token);
    return reply.code(204).send();
  });

  app.get('/v3/auth/projects', async (req) => {
    const ctx = deps.requestContext(req);
    const base = deps.endpoints().identity;
    const projects = await cloud.identity.listUserProjects(ctx.userId);
    return collection(base, 'auth/projects', 'projects', projects.filter((p) => p.enabled).map((p) => projectJson(base, p)));
  });

  app.get('/v3/auth/catalog', async (req) => {
    deps.requestContext(req);
    return { catalog: catalogJson(deps.endpoints(), deps.region()), links: { self: `${deps.endpoints().identity}/v3/auth/catalog`, previous: null, next: null } };
  });
}
