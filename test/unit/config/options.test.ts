import { describe, expect, it } from 'vitest';
import { parseDuration, parseToolsets } from '../../../src/commands/options.js';
import { TOOLSETS } from '../../../src/config/schema.js';
import { DataMcpError } from '../../../src/results/errors.js';

function configErrorOf(fn: () => unknown): DataMcpError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DataMcpError && err.code === 'CONFIG_ERROR') return err;
    throw err;
  }
  throw new Error('expected CONFIG_ERROR');
}

describe('parseToolsets', () => {
  it('returns undefined when the flag is absent', () => {
    expect(parseToolsets(undefined)).toBeUndefined();
  });

  it('splits, trims and drops empty items', () => {
    expect(parseToolsets('catalog, data,,')).toEqual(['catalog', 'data']);
    expect(parseToolsets('admin')).toEqual(['admin']);
  });

  it('refuses an unknown toolset, naming it and listing the allowed ones', () => {
    const err = configErrorOf(() => parseToolsets('catalog,bogus'));
    expect(err.message).toContain('bogus');
    for (const name of TOOLSETS) expect(err.hint).toContain(name);
  });

  it('refuses an empty list', () => {
    expect(configErrorOf(() => parseToolsets(' , ')).message).toContain('(none given)');
    configErrorOf(() => parseToolsets(''));
  });

  it('is case-sensitive (toolset names are lowercase)', () => {
    configErrorOf(() => parseToolsets('Catalog'));
  });
});

describe('parseDuration', () => {
  it.each([
    ['90s', 90],
    ['30m', 1800],
    ['8h', 28_800],
    ['2d', 172_800],
    [' 1s ', 1],
    ['30d', 2_592_000],
  ])('%s → %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', '8', 'h', '8x', '-5m', '1.5h', '8 h', '8H', '1e3s', '1234567s'])('refuses %j', (text) => {
    expect(configErrorOf(() => parseDuration(text)).hint).toMatch(/90s|1s/);
  });

  it('refuses durations out of range (0, or over 30 days)', () => {
    expect(configErrorOf(() => parseDuration('0s')).message).toContain('out of range');
    expect(configErrorOf(() => parseDuration('31d')).message).toContain('out of range');
    expect(configErrorOf(() => parseDuration('721h')).message).toContain('out of range');
  });
});
