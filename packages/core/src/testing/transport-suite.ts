import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RequestContext } from '../model/request-context.js';
import type { RpcEndpoint, RpcServerHandle, Transport } from '../ports/transport.js';
import {
  BadRequest, Conflict, DriverError, InstanceInvalidState, NotFound, NuboError, QuotaExceeded, RpcTimeout,
  ServiceUnavailable,
} from '../errors.js';

/** How the suite reaches an implementation: any number of transports joined to one broker. */
export interface TransportHarness {
  /**
   * A transport joined to the shared broker. Each call stands for another process (for a
   * broker-backed transport, another connection); the suite closes what it opened.
   */
  connect(): Promise<Transport>;
  /** Runs once after the suite, e.g. to delete the queues it left on a broker. */
  dispose?(): Promise<void>;
}

/**
 * The behaviour every `Transport` owes its users, written once. A transport package runs it:
 *
 *     describeTransportBehaviour('amqp', async () => ({ connect: async () => new AmqpTransport(opts) }));
 *
 * Topics are unique per test, so the suite can share a broker with other suites; durable
 * queues it leaves behind are the harness's to remove in `dispose`.
 */
export function describeTransportBehaviour(name: string, makeHarness: () => TransportHarness | Promise<TransportHarness>): void {
  describe(`Transport behaviour: ${name}`, () => {
    let harness: TransportHarness;
    const opened: Transport[] = [];
    const run = Math.random().toString(36).slice(2, 8);
    let topics = 0;

    beforeAll(async () => {
      harness = await makeHarness();
    });
    afterEach(async () => {
      await Promise.allSettled(opened.splice(0).map((t) => t.close()));
    });
    afterAll(async () => {
      await harness?.dispose?.();
    });

    const peer = async (): Promise<Transport> => {
      const transport = await harness.connect();
      opened.push(transport);
      return transport;
    };
    const newTopic = (label: string): string => `suite_${run}_${++topics}_${label}`;

    describe('call', () => {
      it('returns the handler\'s result, having given it the arguments and the request context', async () => {
        const [server, client] = [await peer(), await peer()];
        const topic = newTopic('echo');
        const seen: Array<{ ctx: RequestContext | null; args: unknown }> = [];
        await server.serve({ topic }, {
          async echo(ctx, args) {
            seen.push({ ctx, args });
            return { got: args, by: ctx?.userId };
          },
        });
        const ctx = context('req-echo');
        const result = await client.call({ topic }, 'echo', { n: 1, list: ['a', null] }, { context: ctx, timeoutMs: 5000 });
        expect(result).toEqual({ got: { n: 1, list: ['a', null] }, by: ctx.userId });
        expect(seen).toEqual([{ ctx, args: { n: 1, list: ['a', null] } }]);
        expect(await client.call({ topic }, 'echo', 7)).toEqual({ got: 7 });
        expect(seen[1]!.ctx).toBeNull();
      });

      it('carries values as JSON both ways: Dates arrive as ISO strings, a void result as undefined', async () => {
        const [server, client] = [await peer(), await peer()];
        const topic = newTopic('json');
        const when = new Date('2026-01-02T03:04:05.000Z');
        let received: unknown;
        await server.serve({ topic }, {
          async stamp(_ctx, args) {
            received = args;
            return { at: when, skipped: undefined };
          },
          async nothing() {},
        });
        const result = await client.call({ topic }, 'stamp', { at: when, gone: undefined });
        expect(received).toEqual({ at: '2026-01-02T03:04:05.000Z' });
        expect(result).toEqual({ at: '2026-01-02T03:04:05.000Z' });
        expect(await client.call({ topic }, 'nothing', null)).toBeUndefined();
      });

      it('rejects with the same typed error the remote handler threw', async () => {
        const [server, client] = [await peer(), await peer()];
        const topic = newTopic('errors');
        await server.serve({ topic }, {
          async missing() { throw new NotFound('Flavor m1.huge could not be found.', { flavorId: 'm1.huge' }); },
          async overQuota() { throw new QuotaExceeded('Maximum number of instances exceeded.', 413); },
          async spawnFailed() { throw new DriverError('Domain failed to start.', false); },
          async busy() { throw new InstanceInvalidState("Cannot 'stop' instance while it is in vm_state stopped"); },
          async crashed() { throw new TypeError('boom'); },
        });
        const missing = await client.call({ topic }, 'missing', {}).catch((e: unknown) => e);
        expect(missing).toBeInstanceOf(NotFound);
        expect(missing).toMatchObject({ message: 'Flavor m1.huge could not be found.', status: 404, details: { flavorId: 'm1.huge' } });
        const quota = await client.call({ topic }, 'overQuota', {}).catch((e: unknown) => e);
        expect(quota).toBeInstanceOf(QuotaExceeded);
        expect(quota).toMatchObject({ status: 413 });
        const driver = await client.call({ topic }, 'spawnFailed', {}).catch((e: unknown) => e);
        expect(driver).toBeInstanceOf(DriverError);
        expect(driver).toMatchObject({ retryable: false, message: 'Domain failed to start.' });
        const busy = await client.call({ topic }, 'busy', {}).catch((e: unknown) => e);
        expect(busy).toBeInstanceOf(InstanceInvalidState);
        expect(busy).toBeInstanceOf(Conflict);
        const crashed = await client.call({ topic }, 'crashed', {}).catch((e: unknown) => e);
        expect(crashed).toBeInstanceOf(NuboError);
        expect(crashed).toMatchObject({ message: 'boom', status: 500 });
      });

      it('rejects a method the endpoint does not expose with NotFound', async () => {
        const [server, client] = [await peer(), await peer()];
        const topic = newTopic('unknown');
        class Endpoint {
          async visible(): Promise<string> { return 'ok'; }
          async _internal(): Promise<string> { return 'secret'; }
        }
        await server.serve({ topic }, new Endpoint() as unknown as RpcEndpoint);
        expect(await client.call({ topic }, 'visible', null)).toBe('ok');
        for (const method of ['nope', '_internal', 'toString', 'constructor']) {
          const err = await client.call({ topic }, method, null).catch((e: unknown) => e);
          expect(err).toBeInstanceOf(NotFound);
          expect((err as Error).message).toContain(method);
        }
      });

      it('rejects with RpcTimeout when the handler does not answer in time', async () => {
        const [server, client] = [await peer(), await peer()];
        const topic = newTopic('slow');
        const release = deferred<void>();
        await server.serve({ topic }, { async hang() { await release.promise; return 'late'; } });
        const err = await client.call({ topic }, 'hang', null, { timeoutMs: 300 }).catch((e: unknown) => e);
        release.resolve();
        expect(err).toBeInstanceOf(RpcTimeout);
        expect((err as Error).message).toContain('hang');
      });

      it('rejects with RpcTimeout when nobody serves the topic, and never runs the expired request later', async () => {
        const [server, client] = [await peer(), await peer()];
        const topic = newTopic('nobody');
        const err = await client.call({ topic }, 'late', null, { timeoutMs: 200 }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(RpcTimeout);
        await client.cast({ topic }, 'mark', null);
        const handled: string[] = [];
        const marked = deferred<void>();
        await server.serve({ topic }, {
          async late() { handled.push('late'); },
          async mark() { handled.push('mark'); marked.resolve(); },
        });
        await marked.promise;
        expect(handled).toEqual(['mark']);
      });

      it('matches every reply to its own call when many are in flight', async () => {
        const [serverA, serverB, client] = [await peer(), await peer(), await peer()];
        const topic = newTopic('many');
        const endpoint: RpcEndpoint = {
          async square(_ctx, n) {
            await sleep((n as number) % 7);
            return (n as number) ** 2;
          },
        };
        await serverA.serve({ topic }, endpoint);
        await serverB.serve({ topic }, endpoint);
        const ns = Array.from({ length: 60 }, (_, i) => i);
        const results = await Promise.all(ns.map((n) => client.call<number>({ topic }, 'square', n)));
        expect(results).toEqual(ns.map((n) => n * n));
      });

      it('refuses a call to a fanout, a target without a topic and arguments that are not JSON, with BadRequest', async () => {
        const [server, client] = [await peer(), await peer()];
        const topic = newTopic('bad');
        let ran = 0;
        await server.serve({ topic }, { async run() { ran++; } });
        await expect(client.call({ topic, fanout: true }, 'run', null)).rejects.toBeInstanceOf(BadRequest);
        await expect(client.call({ topic: '' }, 'run', null)).rejects.toBeInstanceOf(BadRequest);
        await expect(client.call({ topic }, 'run', { big: 10n })).rejects.toBeInstanceOf(BadRequest);
        await expect(client.cast({ topic }, 'run', { big: 10n })).rejects.toBeInstanceOf(BadRequest);
        await client.call({ topic }, 'run', null);
        expect(ran).toBe(1);
      });
    });

    describe('topic, host and fanout', () => {
      it('hands each topic message to exactly one server, spreading them over the servers', async () => {
        const [a, b, client] = [await peer(), await peer(), await peer()];
        const topic = newTopic('spread');
        const handledBy: Record<string, number[]> = { a: [], b: [] };
        const endpoint = (who: string): RpcEndpoint => ({ async work(_ctx, n) { handledBy[who]!.push(n as number); return who; } });
        await a.serve({ topic, server: 'host-a' }, endpoint('a'));
        await b.serve({ topic, server: 'host-b' }, endpoint('b'));
        for (let n = 0; n < 10; n++) await client.call({ topic }, 'work', n);
        expect([...handledBy.a!, ...handledBy.b!].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        expect(handledBy.a!.length).toBeGreaterThan(0);
        expect(handledBy.b!.length).toBeGreaterThan(0);
      });

      it('delivers a message for a host to that host\'s server only', async () => {
        const [a, b, client] = [await peer(), await peer(), await peer()];
        const topic = newTopic('host');
        await a.serve({ topic, server: 'host-a' }, { async who() { return 'a'; } });
        await b.serve({ topic, server: 'host-b' }, { async who() { return 'b'; } });
        const answers = [];
        for (let i = 0; i < 6; i++) answers.push(await client.call({ topic, server: 'host-b' }, 'who', null));
        expect(answers).toEqual(['b', 'b', 'b', 'b', 'b', 'b']);
        expect(await client.call({ topic, server: 'host-a' }, 'who', null)).toBe('a');
      });

      it('delivers a fanout cast to every server of the topic, once each, and to no other topic', async () => {
        const [a, b, c, other, client] = [await peer(), await peer(), await peer(), await peer(), await peer()];
        const topic = newTopic('fanout');
        const got: Record<string, string[]> = { a: [], b: [], c: [], other: [] };
        const lastArrived: Record<string, Deferred<void>> = { a: deferred(), b: deferred(), c: deferred() };
        const endpoint = (who: string): RpcEndpoint => ({
          async update(_ctx, args) {
            got[who]!.push(args as string);
            if (args === 'second') lastArrived[who]?.resolve();
          },
        });
        await a.serve({ topic, server: 'host-a' }, endpoint('a'));
        await b.serve({ topic, server: 'host-b' }, endpoint('b'));
        await c.serve({ topic }, endpoint('c'));
        await other.serve({ topic: newTopic('other') }, endpoint('other'));
        await client.cast({ topic, fanout: true }, 'update', 'first');
        await client.cast({ topic, fanout: true }, 'update', 'second');
        await Promise.all(Object.values(lastArrived).map((d) => d.promise));
        expect(got).toEqual({ a: ['first', 'second'], b: ['first', 'second'], c: ['first', 'second'], other: [] });
      });

      it('delivers a fanout cast to each of several servers sharing one transport', async () => {
        const [shared, client] = [await peer(), await peer()];
        const topic = newTopic('fanshared');
        const got: string[] = [];
        const both = deferred<void>();
        const endpoint = (who: string): RpcEndpoint => ({
          async update() {
            got.push(who);
            if (got.length === 2) both.resolve();
          },
        });
        await shared.serve({ topic, server: 'one' }, endpoint('one'));
        await shared.serve({ topic, server: 'two' }, endpoint('two'));
        await client.cast({ topic, fanout: true }, 'update', null);
        await both.promise;
        expect(got.sort()).toEqual(['one', 'two']);
      });

      it('drops a fanout cast nobody is subscribed to, without error', async () => {
        const client = await peer();
        await expect(client.cast({ topic: newTopic('silent'), fanout: true }, 'update', 1)).resolves.toBeUndefined();
      });
    });

    describe('cast', () => {
      it('returns without waiting for the handler, which then runs with the caller\'s context', async () => {
        const [server, client] = [await peer(), await peer()];
        const topic = newTopic('cast');
        const release = deferred<void>();
        const started = deferred<RequestContext | null>();
        const finished = deferred<void>();
        await server.serve({ topic }, {
          async build(ctx) {
            started.resolve(ctx);
            await release.promise;
            finished.resolve();
          },
        });
        const ctx = context('req-cast');
        await client.cast({ topic }, 'build', { uuid: 'i-1' }, { context: ctx });
        expect(await started.promise).toEqual(ctx);
        release.resolve();
        await finished.promise;
      });

      it('holds a cast to a topic nobody serves yet until a server comes', async () => {
        const [client, server] = [await peer(), await peer()];
        const topic = newTopic('held');
        await client.cast({ topic }, 'build', 1);
        await client.cast({ topic }, 'build', 2);
        await sleep(50);
        const got: unknown[] = [];
        const both = deferred<void>();
        await server.serve({ topic }, { async build(_ctx, n) { got.push(n); if (got.length === 2) both.resolve(); } });
        await both.promise;
        expect(got.sort()).toEqual([1, 2]);
      });

      it('holds a cast to a host until that host serves', async () => {
        const [client, other, host] = [await peer(), await peer(), await peer()];
        const topic = newTopic('hosthold');
        await other.serve({ topic, server: 'host-x' }, { async build() { throw new Error('wrong host'); } });
        await client.cast({ topic, server: 'host-y' }, 'build', 'for-y');
        const got = deferred<unknown>();
        await host.serve({ topic, server: 'host-y' }, { async build(_ctx, args) { got.resolve(args); } });
        expect(await got.promise).toBe('for-y');
      });

      it('keeps serving after a cast handler fails', async () => {
        const [server, client] = [await peer(), await peer()];
        const topic = newTopic('failing');
        const done = deferred<void>();
        await server.serve({ topic }, {
          async fail() { throw new DriverError('spawn failed'); },
          async ok() { done.resolve(); },
        });
        await client.cast({ topic }, 'fail', null);
        await client.cast({ topic }, 'ok', null);
        await done.promise;
        expect(await client.call({ topic }, 'ok', null)).toBeUndefined();
      });
    });

    describe('stop and close', () => {
      it('stop() waits for the handlers in flight, whose calls still get their replies', async () => {
        const [server, client] = [await peer(), await peer()];
        const topic = newTopic('stop');
        const started = deferred<void>();
        const release = deferred<void>();
        const handle = await server.serve({ topic }, {
          async work() {
            started.resolve();
            await release.promise;
            return 'finished';
          },
        });
        const reply = client.call({ topic }, 'work', null, { timeoutMs: 10_000 });
        await started.promise;
        let stopped = false;
        const stopping = handle.stop().then(() => { stopped = true; });
        await sleep(100);
        expect(stopped).toBe(false);
        release.resolve();
        await stopping;
        expect(await reply).toBe('finished');
      });

      it('after stop(), messages go to the remaining servers, or wait for the next one', async () => {
        const [a, b, c, client] = [await peer(), await peer(), await peer(), await peer()];
        const topic = newTopic('handover');
        const handleA = await a.serve({ topic }, { async who() { return 'a'; } });
        const handleB = await b.serve({ topic }, { async who() { return 'b'; } });
        await handleA.stop();
        const answers = [];
        for (let i = 0; i < 4; i++) answers.push(await client.call({ topic }, 'who', null));
        expect(answers).toEqual(['b', 'b', 'b', 'b']);
        await handleB.stop();
        await client.cast({ topic }, 'who', 'waiting');
        const got = deferred<unknown>();
        await c.serve({ topic }, { async who(_ctx, args) { got.resolve(args); return 'c'; } });
        expect(await got.promise).toBe('waiting');
      });

      it('a stopped server receives no more fanouts', async () => {
        const [a, b, client] = [await peer(), await peer(), await peer()];
        const topic = newTopic('fanstop');
        const got: Record<string, string[]> = { a: [], b: [] };
        const second = deferred<void>();
        const handleA: RpcServerHandle = await a.serve({ topic }, { async update(_c, m) { got.a!.push(m as string); } });
        await b.serve({ topic }, {
          async update(_c, m) {
            got.b!.push(m as string);
            if (m === 'after') second.resolve();
          },
        });
        await handleA.stop();
        await client.cast({ topic, fanout: true }, 'update', 'after');
        await second.promise;
        await sleep(50);
        expect(got).toEqual({ a: [], b: ['after'] });
      });

      it('after close(), call, cast and serve are refused with ServiceUnavailable', async () => {
        const transport = await peer();
        await transport.close();
        const topic = newTopic('closed');
        await expect(transport.call({ topic }, 'x', null)).rejects.toBeInstanceOf(ServiceUnavailable);
        await expect(transport.cast({ topic }, 'x', null)).rejects.toBeInstanceOf(ServiceUnavailable);
        await expect(transport.serve({ topic }, {})).rejects.toBeInstanceOf(ServiceUnavailable);
        await expect(transport.close()).resolves.toBeUndefined();
      });
    });
  });
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function context(requestId: string): RequestContext {
  return { requestId, userId: 'u-1', projectId: 'p-1', roles: ['member'], isAdmin: false, authToken: 'tok' };
}
