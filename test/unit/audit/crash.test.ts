import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../../src/audit/verify.js';
import { makeTempDir, openLog, readCompleteRecords, sampleEntry } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const CHILD = join(import.meta.dirname, 'fixtures', 'append-child.ts');

let cleanup: () => Promise<void>;
let path: string;

beforeEach(async () => {
  let dir: string;
  ({ dir, cleanup } = await makeTempDir());
  path = join(dir, 'audit.jsonl');
});
afterEach(() => cleanup());

/** Run the child (optionally under a file-size limit) and collect its stdout lines. */
function runChild(mode: string, opts: { killAfterAcks?: number; fileSizeLimitKiB?: number }): Promise<string[]> {
  const command = `${opts.fileSizeLimitKiB ? `ulimit -f ${opts.fileSizeLimitKiB}; ` : ''}exec "${process.execPath}" --import tsx "${CHILD}" "${path}" ${mode}`;
  const child = spawn('bash', ['-c', command], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: string[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    out.push(line);
    if (opts.killAfterAcks !== undefined && out.length === opts.killAfterAcks) child.kill('SIGKILL');
  });
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (opts.killAfterAcks !== undefined ? signal === 'SIGKILL' : code === 0) resolvePromise(out);
      else reject(new Error(`child exited with ${code ?? signal}: ${stderr}`));
    });
  });
}

const ackedSeqs = (lines: string[]) => lines.filter((l) => l.startsWith('acked ')).map((l) => Number(l.slice(6)));

describe('audit log under failure', () => {
  it('keeps every acknowledged durable record when the process is killed with SIGKILL', async () => {
    const lines = await runChild('forever', { killAfterAcks: 200 });
    const acked = ackedSeqs(lines);
    expect(acked.length).toBeGreaterThanOrEqual(200);
    const onDisk = new Set((await readCompleteRecords(path)).filter((r) => r.type === 'call').map((r) => r.seq));
    const missing = acked.filter((seq) => !onDisk.has(seq));
    expect(missing).toEqual([]);
    const report = await verifyAuditLog({ path });
    expect(report.firstBad).toBeUndefined();
    expect(report.lastSeq).toBeGreaterThanOrEqual(Math.max(...acked));

    // The next run takes over the dead process's lock and continues the chain.
    const log = await openLog(path);
    const next = await log.append(sampleEntry(0), { durable: true });
    await log.close();
    expect(next.seq).toBeGreaterThan(Math.max(...acked));
    const after = await verifyAuditLog({ path });
    expect(after.ok).toBe(true);
    expect(after.lastSeq).toBe(next.seq + 1);
  });

  it('rejects appends once a write fails, and the log is recoverable afterwards', async () => {
    const lines = await runChild('until-failure', { fileSizeLimitKiB: 64 });
    const acked = ackedSeqs(lines);
    expect(acked.length).toBeGreaterThan(10);
    expect(lines).toContain('rejected UNAVAILABLE');
    // Once poisoned, the log refuses further appends (fail closed) instead of forking the chain.
    expect(lines).toContain('after rejected UNAVAILABLE');

    const onDisk = new Set((await readCompleteRecords(path)).map((r) => r.seq));
    expect(acked.filter((seq) => !onDisk.has(seq))).toEqual([]);
    const before = await verifyAuditLog({ path });
    expect(before.firstBad).toBeUndefined();
    // The failing write stopped at the size limit, part-way through a line.
    expect((await stat(path)).size).toBe(64 * 1024);
    expect(before.warnings.join('\n')).toMatch(/torn final line/);
    expect(before.lastSeq).toBeGreaterThanOrEqual(Math.max(...acked));

    const log = await openLog(path);
    await log.append(sampleEntry(0), { durable: true });
    await log.close();
    const report = await verifyAuditLog({ path });
    expect(report.ok).toBe(true);
    expect(report.lastSeq).toBeGreaterThan(before.lastSeq);
    expect(report.warnings.join('\n')).toMatch(/torn line \(\d+ bytes\) from an interrupted write, sealed by recovery record/);
  });
});
