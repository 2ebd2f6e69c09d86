import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Availability, describe as describeReason } from '../../../src/cache/availability.js';

function capture() {
  const lines: { level: string; msg: string; reason?: string }[] = [];
  const logger = pino(
    { level: 'debug', formatters: { level: (label) => ({ level: label }) } },
    { write: (line: string) => void lines.push(JSON.parse(line) as { level: string; msg: string }) },
  );
  return { logger, lines };
}

describe('Availability', () => {
  it('logs one warning per outage and one info line per recovery', () => {
    const { logger, lines } = capture();
    const changes: boolean[] = [];
    const a = new Availability('redis', logger, (up) => changes.push(up));
    expect(a.isUp()).toBe(false);
    expect(a.markUp()).toBe(true);
    for (let i = 0; i < 100; i++) a.markDown(new Error('connect ECONNREFUSED'));
    expect(a.isUp()).toBe(false);
    a.markUp();
    a.markUp();
    a.markDown(new Error('again'));
    expect(lines.map((l) => l.level)).toEqual(['warn', 'info', 'warn']);
    expect(changes).toEqual([true, false, true, false]);
  });

  it('warns once when the first connection already fails, without an up/down change', () => {
    const { logger, lines } = capture();
    const changes: boolean[] = [];
    const a = new Availability('redis', logger, (up) => changes.push(up));
    expect(a.markDown(new Error('refused'))).toBe(false);
    a.markDown(new Error('refused'));
    expect(lines).toHaveLength(1);
    expect(changes).toEqual([]);
  });

  it('describes reasons without secrets or stacks', () => {
    const err = Object.assign(new Error('connect to redis://user:hunter2secret@h:6379 failed'), { code: 'ECONNREFUSED' });
    const text = describeReason(err);
    expect(text.startsWith('ECONNREFUSED: ')).toBe(true);
    expect(text).not.toContain('hunter2secret');
    expect(text).not.toContain('at ');
    expect(describeReason('x'.repeat(10_000)).length).toBeLessThanOrEqual(300);
  });
});
