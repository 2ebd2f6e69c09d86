import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listRotatedFiles, nextPathFor } from '../../../src/audit/log-files.js';
import { verifyAuditLog } from '../../../src/audit/verify.js';
import { recordFigure } from '../../security/figures.js';
import { makeTempDir, openLog, readAllCompleteRecords, sampleEntry } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const CHILD = resolve(import.meta.dirname, 'fixtures/rotate-child.ts');

let cleanup: () => Promise<void>;
let path: string;

beforeEach(async () => {
  let dir: string;
  ({ dir, cleanup } = await makeTempDir());
  path = join(dir, 'audit.jsonl');
});
afterEach(() => cleanup());

/** Run the child until it is killed (by itself at `point`, or by us after `killAfterAcks`); its acked seqs. */
function runChild(point: string, nth: number, killAfterAcks?: number): Promise<number[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path, point, String(nth)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const acked: number[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('acked ')) acked.push(Number(line.slice(6)));
    if (killAfterAcks !== undefined && acked.length === killAfterAcks) child.kill('SIGKILL');
  });
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL') resolvePromise(acked);
      else reject(new Error(`child exited with ${code ?? signal}: ${stderr}`));
    });
  });
}

/** Every crash point of a rotation, at the first and at a later rotation; then plain kills at varying moments. */
const scenarios = [
  ...['next-created', 'before-rotate', 'after-rotate', 'after-install', 'sidecar'].flatMap((point) => [1, 3].map((nth) => ({ name: `${point} (rotation ${nth})`, point, nth, killAfterAcks: undefined as number | undefined }))),
  ...[3, 7, 12, 18, 25, 33].map((acks) => ({ name: `SIGKILL after ${acks} acks`, point: 'none', nth: 1, killAfterAcks: acks })),
];

describe('audit log rotation under kill -9', () => {
  it.for(scenarios)('$name: no acknowledged record is lost, verify accepts, the next start resumes', { timeout: 60_000 }, async (s, ctx) => {
    // Two lives: the second one starts from whatever the first crash left.
    let lost = 0;
    let maxAcked = 0;
    for (let life = 0; life < 2; life++) {
      const acked = await runChild(s.point, s.nth, s.killAfterAcks);
      recordFigure(ctx, 'audit: kill -9 runs', 1);
      // A second life may die in its very first rotation, before any ack.
      if (life === 0) expect(acked.length).toBeGreaterThan(0);
      const calls = new Set((await readAllCompleteRecords(path)).filter((r) => r.type === 'call').map((r) => r.seq));
      const missing = acked.filter((seq) => !calls.has(seq));
      lost += missing.length;
      expect(missing).toEqual([]);
      const afterCrash = await verifyAuditLog({ path });
      expect(afterCrash.firstBad).toBeUndefined();
      maxAcked = Math.max(maxAcked, ...acked);
      expect(afterCrash.lastSeq).toBeGreaterThanOrEqual(maxAcked);
    }
    recordFigure(ctx, 'audit: acknowledged records lost after kill -9', lost);

    // The third life resumes and rotates on (a kill before the first rotation finished leaves none yet).
    const log = await openLog(path, { rotateBytes: 4096 });
    const first = await log.append(sampleEntry(0), { durable: true });
    let next = first;
    for (let i = 1; i <= 12; i++) next = await log.append(sampleEntry(i), { durable: true });
    await log.close();
    expect(first.seq).toBeGreaterThan(maxAcked);
    expect((await listRotatedFiles(path)).length).toBeGreaterThan(0);
    await expect(stat(nextPathFor(path))).rejects.toMatchObject({ code: 'ENOENT' });
    const report = await verifyAuditLog({ path });
    expect(report.ok).toBe(true);
    expect(report.lastSeq).toBe(next.seq + 1);
    expect(report.warnings.join('\n')).not.toMatch(/no active file|unsealed/);
  });
});
