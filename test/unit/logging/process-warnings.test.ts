import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { routeProcessWarnings } from '../../../src/logging/process-warnings.js';

describe('routeProcessWarnings', () => {
  it('turns a process warning into one JSON log line, and puts Node’s handlers back', async () => {
    const lines: string[] = [];
    const logger = pino({ base: null }, { write: (line: string) => void lines.push(line) });
    const before = process.listeners('warning').length;
    const restore = routeProcessWarnings(logger);
    try {
      expect(process.listeners('warning')).toHaveLength(1);
      const seen = once(process, 'warning');
      process.emitWarning('The SDK will need\nNode 22 soon', { type: 'NodeVersionSupportWarning', code: 'SDK1' });
      await seen;
      expect(lines).toHaveLength(1);
      const record = JSON.parse(lines[0]!) as Record<string, unknown>;
      expect(record).toMatchObject({ level: 40, warning: 'NodeVersionSupportWarning', code: 'SDK1', msg: 'The SDK will need\nNode 22 soon' });
      expect(lines[0]!.trim().split('\n')).toHaveLength(1);
    } finally {
      restore();
    }
    expect(process.listeners('warning')).toHaveLength(before);
  });
});
