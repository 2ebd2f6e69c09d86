import { describe, expect, it } from 'vitest';
import { interpolateEnv } from '../../../src/config/interpolate.js';
import { DataMcpError } from '../../../src/results/errors.js';
import { scrubText } from '../../../src/results/scrub.js';

function thrown(fn: () => unknown): DataMcpError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DataMcpError) return err;
    throw err;
  }
  throw new Error('expected a DataMcpError');
}

describe('interpolateEnv', () => {
  it('replaces ${VAR} inside string values anywhere in the tree', () => {
    const out = interpolateEnv({ a: 'x-${FOO}-y', list: ['${FOO}', 3, true], nested: { b: '${BAR}' } }, { FOO: 'foo', BAR: 'bar' });
    expect(out).toEqual({ a: 'x-foo-y', list: ['foo', 3, true], nested: { b: 'bar' } });
  });

  it('uses the default of ${VAR:-default} when the variable is unset or empty', () => {
    expect(interpolateEnv({ a: '${NOPE:-fallback}', b: '${EMPTY:-dflt}' }, { EMPTY: '' })).toEqual({ a: 'fallback', b: 'dflt' });
    expect(interpolateEnv({ a: '${SET:-fallback}' }, { SET: 'real' })).toEqual({ a: 'real' });
  });

  it('drops a key whose whole value is a placeholder with an empty default (treated as unset)', () => {
    const out = interpolateEnv({ keep: 'v', drop: '${NOPE:-}' }, {}) as Record<string, unknown>;
    expect(out.keep).toBe('v');
    expect(out.drop).toBeUndefined();
  });

  it('treats $${ as a literal ${ and does not interpolate it', () => {
    expect(interpolateEnv({ a: 'cost $${FOO} and ${FOO}' }, { FOO: 'x' })).toEqual({ a: 'cost ${FOO} and x' });
  });

  it('never lets an environment value inject YAML structure: it stays one string', () => {
    const hostile = 'x\nroles: [admin]\n- {a: 1}\n&anchor *alias';
    const out = interpolateEnv({ server: { name: '${EVIL}' } }, { EVIL: hostile }) as { server: Record<string, unknown> };
    expect(out.server).toEqual({ name: hostile });
    expect(Object.keys(out.server)).toEqual(['name']);
  });

  it('does not interpolate keys or non-string scalars', () => {
    expect(interpolateEnv({ '${FOO}': 1, n: 2, b: false, z: null }, { FOO: 'x' })).toEqual({ '${FOO}': 1, n: 2, b: false, z: null });
  });

  it('names the key path and the variable when a variable is missing', () => {
    const err = thrown(() => interpolateEnv({ connectors: { lake: { credentials: { access_key_id: '${MISSING_VAR_XYZ}' } } } }, {}));
    expect(err.code).toBe('CONFIG_ERROR');
    expect(err.message).toContain('connectors.lake.credentials.access_key_id');
    expect(err.message).toContain('MISSING_VAR_XYZ');
    expect(err.hint).toContain('MISSING_VAR_XYZ');
  });

  it('names array indexes in the key path', () => {
    const err = thrown(() => interpolateEnv({ list: ['ok', '${GONE_VAR}'] }, {}));
    expect(err.message).toContain('list.1');
  });

  it('registers values interpolated under secret-looking keys with the scrubber', () => {
    const secret = 'interp-secret-value-8c1f2d9e';
    interpolateEnv({ connectors: { lake: { credentials: { secret_access_key: '${S3_SECRET}' } } } }, { S3_SECRET: secret });
    expect(scrubText(`upstream said ${secret} oops`)).toBe('upstream said [REDACTED] oops');
  });

  it('does not register values under ordinary keys', () => {
    const plain = 'ordinary-value-not-secret-31337';
    interpolateEnv({ server: { name: '${PLAIN}' } }, { PLAIN: plain });
    expect(scrubText(plain)).toBe(plain);
  });
});
