import type { RequestContext } from '../model/request-context.js';

/** The target of a policy check: the owner of the resource acted on. */
export interface PolicyTarget {
  project_id?: string;
  user_id?: string;
  [key: string]: unknown;
}

/**
 * Per-action authorization, oslo.policy's `enforce`. Action names are Nova's
 * (`os_compute_api:servers:create`, …).
 */
export interface PolicyEngine {
  /** True when the rule for `action` allows `ctx` on `target`. Unknown actions fall back to the `default` rule. */
  check(ctx: RequestContext, action: string, target?: PolicyTarget): boolean;
  /** Throws `Forbidden` ("Policy doesn't allow ACTION to be performed.") when not allowed. */
  enforce(ctx: RequestContext, action: string, target?: PolicyTarget): void;
}
