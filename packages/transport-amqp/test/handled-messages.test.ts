import { describe, expect, it } from 'vitest';
import { HandledMessages } from '../src/handled-messages.js';

describe('HandledMessages (the per-process dedup of redelivered casts)', () => {
  it('answers done for a handled id, the running handler for one in flight, nothing for a new one', async () => {
    const handled = new HandledMessages(10);
    let finish!: () => void;
    const work = new Promise<void>((resolve) => { finish = resolve; });
    expect(handled.check('compute/a')).toBeUndefined();
    handled.start('compute/a', work);
    expect(handled.check('compute/a')).toBe(work);
    finish();
    handled.finish('compute/a');
    expect(handled.check('compute/a')).toBe('done');
    expect(handled.check('compute/b')).toBeUndefined();
    expect(handled.check(undefined)).toBeUndefined();
  });

  it('remembers at least the latest `capacity` ids however many went through, and forgets older ones', () => {
    const capacity = 100;
    const handled = new HandledMessages(capacity);
    for (let n = 0; n < 10 * capacity; n++) {
      handled.finish(`q/${n}`);
      for (const back of [0, 1, capacity - 1]) if (n - back >= 0) expect(handled.check(`q/${n - back}`), `${n - back} after ${n}`).toBe('done');
    }
    expect(handled.check('q/0')).toBeUndefined();
  });
});
