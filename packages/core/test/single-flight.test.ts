import { describe, expect, it } from 'vitest';
import { SingleFlight } from '@nubo/core';

describe('SingleFlight', () => {
  it('gives callers of one key at once one run, and keys of their own their own runs', async () => {
    const flight = new SingleFlight<string, string>();
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const fetch = (v: string) => async () => { runs++; await gate; return v; };
    const same = [flight.run('img-1', fetch('a')), flight.run('img-1', fetch('b')), flight.run('img-1', fetch('c'))];
    const other = flight.run('img-2', fetch('d'));
    release();
    expect(await Promise.all(same)).toEqual(['a', 'a', 'a']);
    expect(await other).toBe('d');
    expect(runs).toBe(2);
  });

  it('shares a failure with everyone waiting, and runs again on the next call', async () => {
    const flight = new SingleFlight<string, number>();
    let runs = 0;
    const failing = async () => { runs++; throw new Error('upload cut'); };
    const waiting = [flight.run('k', failing), flight.run('k', failing)];
    for (const p of waiting) await expect(p).rejects.toThrow('upload cut');
    expect(runs).toBe(1);
    expect(await flight.run('k', async () => { runs++; return 7; })).toBe(7);
    expect(runs).toBe(2);
  });
});
