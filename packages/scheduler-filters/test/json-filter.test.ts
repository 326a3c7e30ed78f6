import { describe, expect, it } from 'vitest';
import { BadRequest } from '@nubo/core';
import { JsonFilter } from '../src/index.js';
import { host, spec } from './builders.js';

const q = (query: unknown) => spec({ hints: { query: [JSON.stringify(query)] } });
const h = host({ freeRamMb: 1024, freeDiskMb: 200 * 1024, vcpusTotal: 4, stats: { cpu_vendor: 'Intel' }, numIoOps: 0 });

describe('JsonFilter', () => {
  const f = new JsonFilter();
  it('passes every host without a query', () => {
    expect(f.hostPasses(h, spec())).toBe(true);
  });
  it('compares host attributes with numbers', () => {
    expect(f.hostPasses(h, q(['>=', '$free_ram_mb', 1024]))).toBe(true);
    expect(f.hostPasses(h, q(['>', '$free_ram_mb', 1024]))).toBe(false);
    expect(f.hostPasses(h, q(['<', '$free_ram_mb', 2048, 4096]))).toBe(true);
    expect(f.hostPasses(h, q(['=', '$vcpus_total', 4]))).toBe(true);
  });
  it('combines with and / or / not', () => {
    expect(f.hostPasses(h, q(['and', ['>=', '$free_ram_mb', 512], ['>=', '$free_disk_mb', 100 * 1024]]))).toBe(true);
    expect(f.hostPasses(h, q(['and', ['>=', '$free_ram_mb', 512], ['>=', '$free_disk_mb', 300 * 1024]]))).toBe(false);
    expect(f.hostPasses(h, q(['or', ['>=', '$free_ram_mb', 4096], ['=', '$stats.cpu_vendor', 'Intel']]))).toBe(true);
    expect(f.hostPasses(h, q(['not', ['=', '$stats.cpu_vendor', 'Intel']]))).toBe(false);
  });
  it('tests membership with in', () => {
    expect(f.hostPasses(h, q(['in', '$stats.cpu_vendor', 'AMD', 'Intel']))).toBe(true);
    expect(f.hostPasses(h, q(['in', '$stats.cpu_vendor', 'AMD']))).toBe(false);
  });
  it('drops unknown variables, so a comparison left with one argument fails', () => {
    expect(f.hostPasses(h, q(['=', '$no_such_thing', 1]))).toBe(false);
    expect(f.hostPasses(h, q(['=', '$stats.nope', 'x']))).toBe(false);
  });
  it('keeps a zero-valued attribute (0 is not None)', () => {
    expect(f.hostPasses(h, q(['=', '$num_io_ops', 0]))).toBe(true);
  });
  it('refuses an unknown command and a comparison of a number with a word', () => {
    expect(() => f.hostPasses(h, q(['~', '$free_ram_mb', 1]))).toThrow(BadRequest);
    expect(() => f.hostPasses(h, q(['<', '$free_ram_mb', 'lots']))).toThrow(BadRequest);
  });
  it('treats an empty query as passing', () => {
    expect(f.hostPasses(h, q([]))).toBe(true);
  });
});
