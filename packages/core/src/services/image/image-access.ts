import { Forbidden } from '../../errors.js';
import type { Image } from '../../model/image.js';
import type { RequestContext } from '../../model/request-context.js';
import type { PolicyEngine } from '../../ports/policy-engine.js';
import { ImagePolicy } from '../../policy/image-policies.js';

/**
 * Who may see and change an image, as Glance decides it. Seeing: an admin sees everything;
 * a project sees public and community images, its own, and shared images it is a member of.
 * Changing: the owner or an admin, through the policy engine when one is given (Glance's
 * `image:*` rules), else by ownership alone. An admin context (`isAdmin`, as the services'
 * own internal contexts are) is never refused, whatever roles it lists.
 */
export class ImageAccess {
  constructor(private readonly policy?: PolicyEngine) {}

  canSee(ctx: RequestContext, image: Image): boolean {
    if (ctx.isAdmin || image.ownerId === ctx.projectId) return true;
    if (image.visibility === 'public' || image.visibility === 'community') return true;
    return image.visibility === 'shared' && image.members.includes(ctx.projectId);
  }

  /** Throws `Forbidden` unless `ctx` may perform `action` on an image it can already see. */
  authorize(ctx: RequestContext, action: string, image: Image | { ownerId: string }, extra: Record<string, unknown> = {}): void {
    const allowed = ctx.isAdmin
      || (this.policy
        ? this.policy.check(ctx, action, { project_id: image.ownerId, owner: image.ownerId, ...extra })
        : image.ownerId === ctx.projectId);
    if (!allowed) throw new Forbidden(`You are not authorized to complete ${action.replace(/^image:/, '')} action.`);
  }

  /** For reads of an image `ctx` can see: only the policy engine, if any, may still refuse. */
  authorizeRead(ctx: RequestContext, action: string, image: { ownerId: string }): void {
    if (!ctx.isAdmin && this.policy && !this.policy.check(ctx, action, { project_id: image.ownerId, owner: image.ownerId })) {
      throw new Forbidden(`You are not authorized to complete ${action.replace(/^image:/, '')} action.`);
    }
  }

  /** Glance's `publicize_image` (admin only) and `communitize_image` (the owner) for a visibility change. */
  authorizeVisibility(ctx: RequestContext, visibility: Image['visibility'], ownerId: string): void {
    if (visibility === 'public') {
      const allowed = ctx.isAdmin || (this.policy?.check(ctx, ImagePolicy.publicizeImage, { project_id: ownerId }) ?? false);
      if (!allowed) throw new Forbidden('You are not authorized to complete publicize_image action.');
    } else if (visibility === 'community') {
      this.authorize(ctx, ImagePolicy.communitizeImage, { ownerId });
    }
  }
}
