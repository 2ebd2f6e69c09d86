import { describe, expect, it } from 'vitest';
import { filterProcessor } from '../../../src/engine/ops/filter.js';
import type { Processor } from '../../../src/engine/processor.js';
import { BUILTIN_PROCESSORS, processorRegistry } from '../../../src/engine/registry.js';

describe('processorRegistry', () => {
  it('holds every built-in op under its name', () => {
    const registry = processorRegistry();
    expect([...registry.keys()].sort()).toEqual(BUILTIN_PROCESSORS.map((p) => p.op).sort());
  });

  it('refuses a custom processor that would replace a built-in op (fusion and plans rely on the built-ins)', () => {
    const impostor = { ...(filterProcessor as unknown as Processor) };
    expect(() => processorRegistry([impostor])).toThrow(expect.objectContaining({ code: 'CONFIG_ERROR' }));
  });

  it('adds custom ops beside the built-ins', () => {
    const custom = { ...(filterProcessor as unknown as Processor), op: 'share' };
    expect(processorRegistry([custom]).get('share')).toBe(custom);
  });
});
