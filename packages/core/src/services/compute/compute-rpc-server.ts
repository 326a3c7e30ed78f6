import { reviveImage } from '../../model/image.js';
import type { RequestContext } from '../../model/request-context.js';
import type { RpcServerHandle, Transport } from '../../ports/transport.js';
import { Topics } from '../topics.js';
import type { ComputeManager } from './compute-manager.js';

/** Puts a compute manager on its own host queue (`compute.<host>`). */
export function serveCompute(transport: Transport, m: ComputeManager): Promise<RpcServerHandle> {
  const ctx = (c: RequestContext | null) => c as RequestContext;
  return transport.serve({ topic: Topics.compute, server: m.host }, {
    build_and_run_instance: (c, a) => m.buildAndRunInstance(ctx(c), a.image ? { ...a, image: reviveImage(a.image) } : a),
    terminate_instance: (c, a) => m.terminateInstance(ctx(c), a.uuid),
    reboot_instance: (c, a) => m.rebootInstance(ctx(c), a.uuid, a.type),
    stop_instance: (c, a) => m.stopInstance(ctx(c), a.uuid),
    start_instance: (c, a) => m.startInstance(ctx(c), a.uuid),
    pause_instance: (c, a) => m.pauseInstance(ctx(c), a.uuid),
    unpause_instance: (c, a) => m.unpauseInstance(ctx(c), a.uuid),
    suspend_instance: (c, a) => m.suspendInstance(ctx(c), a.uuid),
    resume_instance: (c, a) => m.resumeInstance(ctx(c), a.uuid),
    snapshot_instance: (c, a) => m.snapshotInstance(ctx(c), a.uuid, a.imageId),
    resize_instance: (c, a) => m.resizeInstance(ctx(c), a.uuid, a.flavorId),
    confirm_resize: (c, a) => m.confirmResize(ctx(c), a.uuid),
    revert_resize: (c, a) => m.revertResize(ctx(c), a.uuid),
    rebuild_instance: (c, a) => m.rebuildInstance(ctx(c), a.uuid, a.imageRef),
  });
}
