import type { RpcEndpoint, RpcServerHandle } from '../ports/transport.js';
import type { Logger } from '../logging/logger.js';
import type { MemoryBroker } from './memory-broker.js';
import type { MemoryConsumer, MemoryMessage, MemoryQueue } from './memory-queue.js';
import { decodeRpcRequest, encodeRpcReply } from './rpc-envelope.js';
import { dispatchRpc } from './rpc-dispatcher.js';
import { queueNameFor } from './rpc-target.js';

/** One `serve()` on the in-process broker: consumes the topic, host and fanout queues. */
export class MemoryRpcServer implements RpcServerHandle {
  private readonly consumers: Array<[MemoryQueue, MemoryConsumer]>;
  private readonly fanoutQueue: MemoryQueue;
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly broker: MemoryBroker,
    private readonly target: { topic: string; server?: string },
    private readonly endpoint: RpcEndpoint,
    private readonly logger: Logger,
    prefetch: number,
    private readonly onStopped: (server: MemoryRpcServer) => void,
  ) {
    const queues = [broker.queue(target.topic)];
    if (target.server) queues.push(broker.queue(queueNameFor(target)));
    this.fanoutQueue = broker.bindFanout(target.topic);
    queues.push(this.fanoutQueue);
    // One consumer per queue, each with its own prefetch, as on RabbitMQ.
    this.consumers = queues.map((queue) => [queue, { prefetch, deliver: (m: MemoryMessage) => this.consume(m) }]);
    for (const [queue, consumer] of this.consumers) queue.addConsumer(consumer);
  }

  async stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      for (const [queue, consumer] of this.consumers) queue.removeConsumer(consumer);
      this.broker.unbindFanout(this.target.topic, this.fanoutQueue);
    }
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    this.onStopped(this);
  }

  private consume(message: MemoryMessage): Promise<void> {
    const work = this.handle(message);
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
    return work;
  }

  private async handle(message: MemoryMessage): Promise<void> {
    let request;
    try {
      request = decodeRpcRequest(message.body);
    } catch (err) {
      this.logger.warn('dropped a malformed RPC message', { topic: this.target.topic, error: (err as Error).message });
      return;
    }
    const outcome = await dispatchRpc(this.endpoint, request);
    if (message.replyTo !== undefined) {
      this.broker.reply(message.replyTo, message.correlationId ?? '', encodeRpcReply(outcome.reply, request.method));
    } else if (outcome.error !== undefined) {
      this.logger.error('RPC cast handler failed', {
        topic: this.target.topic,
        server: this.target.server,
        method: request.method,
        requestId: request.ctx?.requestId,
        error: outcome.error instanceof Error ? outcome.error.message : String(outcome.error),
      });
    }
  }
}
