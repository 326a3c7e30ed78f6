import type { RequestContext } from '../../model/request-context.js';
import type { RebootType } from '../../ports/hypervisor-driver.js';
import type { BuildArgs } from './compute-manager.js';
import type { Transport } from '../../ports/transport.js';
import { Topics } from '../topics.js';

/** Typed client of a compute host; every message goes to that host's own queue. */
export class ComputeRpcClient {
  constructor(private readonly transport: Transport) {}

  private cast(ctx: RequestContext, host: string, method: string, args: unknown): Promise<void> {
    return this.transport.cast({ topic: Topics.compute, server: host }, method, args, { context: ctx });
  }

  buildAndRunInstance(ctx: RequestContext, host: string, args: BuildArgs): Promise<void> {
    return this.cast(ctx, host, 'build_and_run_instance', args);
  }
  terminateInstance(ctx: RequestContext, host: string, uuid: string): Promise<void> {
    return this.cast(ctx, host, 'terminate_instance', { uuid });
  }
  rebootInstance(ctx: RequestContext, host: string, uuid: string, type: RebootType): Promise<void> {
    return this.cast(ctx, host, 'reboot_instance', { uuid, type });
  }
  stopInstance(ctx: RequestContext, host: string, uuid: string): Promise<void> {
    return this.cast(ctx, host, 'stop_instance', { uuid });
  }
  startInstance(ctx: RequestContext, host: string, uuid: string): Promise<void> {
    return this.cast(ctx, host, 'start_instance', { uuid });
  }
  pauseInstance(ctx: RequestContext, host: string, uuid: string): Promise<void> {
    return this.cast(ctx, host, 'pause_instance', { uuid });
  }
  unpauseInstance(ctx: RequestContext, host: string, uuid: string): Promise<void> {
    return this.cast(ctx, host, 'unpause_instance', { uuid });
  }
  suspendInstance(ctx: RequestContext, host: string, uuid: string): Promise<void> {
    return this.cast(ctx, host, 'suspend_instance', { uuid });
  }
  resumeInstance(ctx: RequestContext, host: string, uuid: string): Promise<void> {
    return this.cast(ctx, host, 'resume_instance', { uuid });
  }
  snapshotInstance(ctx: RequestContext, host: string, uuid: string, imageId: string): Promise<void> {
    return this.cast(ctx, host, 'snapshot_instance', { uuid, imageId });
  }
  resizeInstance(ctx: RequestContext, host: string, uuid: string, flavorId: string): Promise<void> {
    return this.cast(ctx, host, 'resize_instance', { uuid, flavorId });
  }
  confirmResize(ctx: RequestContext, host: string, uuid: string): Promise<void> {
    return this.cast(ctx, host, 'confirm_resize', { uuid });
  }
  revertResize(ctx: RequestContext, host: string, uuid: string): Promise<void> {
    return this.cast(ctx, host, 'revert_resize', { uuid });
  }
  rebuildInstance(ctx: RequestContext, host: string, uuid: string, imageRef: string): Promise<void> {
    return this.cast(ctx, host, 'rebuild_instance', { uuid, imageRef });
  }
}
