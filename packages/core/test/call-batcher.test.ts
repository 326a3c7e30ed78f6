import { describe, expect, it } from 'vitest';
import { CallBatcher } from '@nubo/core';

/** A peer whose calls the test answers by hand, recording what each call carried. */
function scriptedPeer() {
  const calls: Array<{ items: number[]; answer: (o: string[]) => void; fail: (e: Error) => void }> = [];
  const send = (items: number[]) => new Promise<string[]>((answer, fail) => { calls.push({ items, answer, fail }); });
  return { calls, send };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('CallBatcher', () => {
  it('sends requests made together as one call, and those made while it is out as the next', async () => {
    const peer = scriptedPeer();
    const batcher = new CallBatcher(peer.send, { maxInFlight: 1, maxBatch: 100 });
    const first = [1, 2, 3].map((n) => batcher.submit(n));
    await tick();
    expect(peer.calls.map((c) => c.items)).toEqual([[1, 2, 3]]);
    const second = [4, 5].map((n) => batcher.submit(n));
    await tick();
    expect(peer.calls).toHaveLength(1); // waits for the call out
    peer.calls[0]!.answer(['a', 'b', 'c']);
    expect(await Promise.all(first)).toEqual(['a', 'b', 'c']);
    await tick();
    expect(peer.calls.map((c) => c.items)).toEqual([[1, 2, 3], [4, 5]]);
    peer.calls[1]!.answer(['d', 'e']);
    expect(await Promise.all(second)).toEqual(['d', 'e']);
  });

  it('keeps at most maxInFlight calls out and splits at maxBatch', async () => {
    const peer = scriptedPeer();
    const batcher = new CallBatcher(peer.send, { maxInFlight: 2, maxBatch: 2 });
    const all = [1, 2, 3, 4, 5].map((n) => batcher.submit(n));
    await tick();
    expect(peer.calls.map((c) => c.items)).toEqual([[1, 2], [3, 4]]);
    peer.calls[1]!.answer(['c', 'd']);
    await tick();
    await tick();
    expect(peer.calls.map((c) => c.items)).toEqual([[1, 2], [3, 4], [5]]);
    peer.calls[0]!.answer(['a', 'b']);
    peer.calls[2]!.answer(['e']);
    expect(await Promise.all(all)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('fails every request of a call that failed, and goes on with the next', async () => {
    const peer = scriptedPeer();
    const batcher = new CallBatcher(peer.send, { maxInFlight: 1, maxBatch: 100 });
    const lost = [batcher.submit(1), batcher.submit(2)];
    await tick();
    peer.calls[0]!.fail(new Error('broker gone'));
    for (const p of lost) await expect(p).rejects.toThrow('broker gone');
    const next = batcher.submit(3);
    await tick();
    peer.calls[1]!.answer(['c']);
    expect(await next).toBe('c');
  });

  it('refuses an answer that does not hold one outcome per request', async () => {
    const peer = scriptedPeer();
    const batcher = new CallBatcher(peer.send, { maxInFlight: 1, maxBatch: 100 });
    const both = [batcher.submit(1), batcher.submit(2)];
    await tick();
    peer.calls[0]!.answer(['only one']);
    for (const p of both) await expect(p).rejects.toThrow(/1 outcomes for 2 requests/);
  });
});
