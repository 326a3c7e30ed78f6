import { describe, expect, it } from 'vitest';
import { matchExtraSpec } from '../src/index.js';

describe('extra spec matching, as Nova reads flavor extra specs', () => {
  it.each([
    ['123', '123', true],
    ['124', '123', false],
    ['124', '= 123', true],
    ['122', '= 123', false],
    ['123', '= 123.0', true],
    ['12311321', '<in> 11', true],
    ['12310321', '<in> 11', false],
    ['12', '<or> 11 <or> 12', true],
    ['13', '<or> 11 <or> 12', false],
    ['12', '<or> 11 <or>', false],
    ['12311321', '<all-in> 11 321', true],
    ['12311321', '<all-in> 11 999', false],
    ['123', '== 123', true],
    ['123', '!= 123', false],
    ['123', '>= 124', false],
    ['123', '<= 124', true],
    ['abc', 's== abc', true],
    ['abc', 's!= abc', false],
    ['abc', 's< abd', true],
    ['12', 's< 111', false],
    ['abc', 's>= abc', true],
    ['abc', 's> abc', false],
    ['x', '<in>', false],
  ])('%j against %j is %s', (value, req, expected) => {
    expect(matchExtraSpec(value, req)).toBe(expected);
  });

  it('refuses a numeric comparison with a word, as Nova’s float() does', () => {
    expect(() => matchExtraSpec('Intel', '>= 2')).toThrow(/float/);
  });

  it('never matches a missing value against an operator', () => {
    expect(matchExtraSpec(null, '= 1')).toBe(false);
  });
});
