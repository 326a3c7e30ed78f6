import type { RpcTarget } from '../ports/transport.js';
import { BadRequest } from '../errors.js';

/** Refuses targets no broker could route, with the same message on every transport. */
export function validateTarget(target: RpcTarget, kind: 'call' | 'cast' | 'serve'): void {
  if (!target || typeof target.topic !== 'string' || !target.topic) {
    throw new BadRequest(`An RPC ${kind} needs a topic.`);
  }
  if (target.server !== undefined && (typeof target.server !== 'string' || !target.server)) {
    throw new BadRequest(`The server of an RPC ${kind} must be a non-empty host name.`);
  }
  if (kind === 'call' && target.fanout) {
    throw new BadRequest('An RPC call cannot go to a fanout: nobody could say whose reply to wait for. Use cast.');
  }
  if (target.fanout && target.server) {
    throw new BadRequest('An RPC fanout goes to every server of a topic; it cannot name one server.');
  }
}

/** The queue a point-to-point message goes to: the host queue `topic.server`, or the topic's. */
export function queueNameFor(target: RpcTarget): string {
  return target.server ? `${target.topic}.${target.server}` : target.topic;
}
