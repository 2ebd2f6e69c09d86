import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../../src/audit/chain.js';
import { listRotatedFiles, nextPathFor, rotatedPathFor } from '../../../src/audit/log-files.js';
import type { CheckpointRecord, RotationRecord } from '../../../src/audit/record.js';
import { verifyAuditLog } from '../../../src/audit/verify.js';
import { isDataMcpError } from '../../../src/results/errors.js';
import { logFilePaths, makeTempDir, openLog, readAllCompleteRecords, readRecords, sampleEntry } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let path: string;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  path = join(dir, 'audit.jsonl');
});
afterEach(() => cleanup());

const ROTATE = 4096;

async function writeRotated(calls: number, overrides: Parameters<typeof openLog>[1] = {}): Promise<void> {
  const log = await openLog(path, { rotateBytes: ROTATE, checkpointEvery: 4, ...overrides });
  for (let i = 1; i <= calls; i++) await log.append(sampleEntry(i), { durable: i % 3 === 0 });
  await log.close();
}

describe('audit log rotation', () => {
  it('never rotates without rotateBytes (or with 0)', async () => {
    for (const rotateBytes of [undefined, 0]) {
      const log = await openLog(path, rotateBytes === undefined ? {} : { rotateBytes });
      for (let i = 1; i <= 40; i++) await log.append(sampleEntry(i, { arguments: { sql: 'x'.repeat(400) } }), { durable: false });
      await log.close();
      expect(await listRotatedFiles(path)).toEqual([]);
    }
  });

  it('rotates before a file would pass rotateBytes, and the chain runs on across the files', async () => {
    await writeRotated(60);
    const files = await logFilePaths(path);
    expect(files.length).toBeGreaterThan(4);
    expect(files.at(-1)).toBe(path);
    expect(files.slice(0, -1).map((f) => basename(f))).toEqual(files.slice(0, -1).map((_, i) => `audit.jsonl.${String(i + 1).padStart(6, '0')}`));
    let prevHash = GENESIS_HASH;
    let seq = 0;
    for (const [i, file] of files.entries()) {
      const records = await readRecords(file);
      const lastLine = Buffer.byteLength(`${JSON.stringify(records.at(-1))}\n`);
      // Only the closing checkpoint may go past the limit.
      if (file !== path) expect((await stat(file)).size - lastLine).toBeLessThanOrEqual(ROTATE);
      if (i === 0) {
        expect(records[0]?.prevHash).toBe(GENESIS_HASH);
      } else {
        const rotation = records[0] as RotationRecord;
        expect(rotation).toMatchObject({ type: 'rotation', previous: { file: basename(files[i - 1] as string), lastSeq: seq, lastHash: prevHash } });
        expect(records[1]).toMatchObject({ type: 'checkpoint', coversSeq: rotation.seq });
      }
      if (file !== path) expect(records.at(-1)?.type).toBe('checkpoint');
      for (const r of records) {
        expect(r.seq).toBe(seq + 1);
        expect(r.prevHash).toBe(prevHash);
        seq = r.seq;
        prevHash = r.hash;
      }
    }
    const report = await verifyAuditLog({ path });
    expect(report).toMatchObject({ ok: true, calls: 60, lastSeq: seq, warnings: [] });
    expect(report.files.map((f) => f.file)).toEqual(files.map((f) => basename(f)));
    expect(report.files.reduce((n, f) => n + f.calls, 0)).toBe(60);
    const head = JSON.parse(await readFile(`${path}.head`, 'utf8')) as { seq: number };
    expect(head.seq).toBe(seq);
  });

  it('continues the numbering and the chain after a reopen', async () => {
    await writeRotated(30);
    const before = (await listRotatedFiles(path)).length;
    await writeRotated(30);
    const rotated = await listRotatedFiles(path);
    expect(rotated.length).toBeGreaterThan(before);
    expect(rotated.map((f) => f.index)).toEqual(rotated.map((_, i) => i + 1));
    expect(await verifyAuditLog({ path })).toMatchObject({ ok: true, calls: 60, warnings: [] });
  });

  it('writes a record larger than rotateBytes whole, in a file of its own', async () => {
    const log = await openLog(path, { rotateBytes: ROTATE });
    await log.append(sampleEntry(1), { durable: true });
    // Redaction caps each string (512 chars), not the record: twelve long fields make a ~7 kB record.
    const wide = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}`, 'y'.repeat(900)]));
    const big = await log.append(sampleEntry(2, { arguments: wide }), { durable: true });
    await log.append(sampleEntry(3), { durable: true });
    await log.close();
    const files = await logFilePaths(path);
    expect(files).toHaveLength(3);
    const holder = await readRecords(files[1] as string);
    expect(JSON.stringify(holder.find((r) => r.seq === big.seq)).length).toBeGreaterThan(ROTATE);
    expect(holder.filter((r) => r.type === 'call').map((r) => r.seq)).toEqual([big.seq]);
    expect(await verifyAuditLog({ path })).toMatchObject({ ok: true, calls: 3 });
  });

  it('keeps 600 concurrent appends contiguous across rotations', async () => {
    const log = await openLog(path, { rotateBytes: ROTATE, checkpointEvery: 16 });
    const records = await Promise.all(Array.from({ length: 600 }, (_, i) => log.append(sampleEntry(i), { durable: i % 7 === 0 })));
    await log.close();
    const onDisk = await readAllCompleteRecords(path);
    expect(onDisk.map((r) => r.seq)).toEqual(onDisk.map((_, i) => i + 1));
    const calls = new Map(onDisk.filter((r) => r.type === 'call').map((r) => [r.seq, r.hash]));
    expect(records.every((r) => calls.get(r.seq) === r.hash)).toBe(true);
    expect((await listRotatedFiles(path)).length).toBeGreaterThan(50);
    expect(await verifyAuditLog({ path })).toMatchObject({ ok: true, calls: 600, warnings: [] });
  });

  it('fails closed when a rotation cannot complete, and the next start repairs', async () => {
    const log = await openLog(path, { rotateBytes: ROTATE });
    await log.append(sampleEntry(1), { durable: true });
    // Something occupies the name the active file would be rotated to.
    await mkdir(rotatedPathFor(path, 1));
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => log.append(sampleEntry(i + 2), { durable: true })));
    const rejected = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as unknown);
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected.every((e) => isDataMcpError(e) && e.code === 'UNAVAILABLE')).toBe(true);
    await expect(log.append(sampleEntry(99), { durable: true })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await log.close().catch(() => undefined);
    await rm(rotatedPathFor(path, 1), { recursive: true });
    const acked = results.filter((r) => r.status === 'fulfilled').length;
    await writeRotated(10);
    expect(await verifyAuditLog({ path })).toMatchObject({ ok: true, calls: 1 + acked + 10 });
  });
});

describe('resuming an interrupted rotation', () => {
  /** A closed, rotated log; returns the active file's text. */
  async function closedLog(): Promise<string> {
    await writeRotated(20);
    return readFile(path, 'utf8');
  }

  it('discards a half-prepared next file and keeps the active one', async () => {
    await closedLog();
    await writeFile(nextPathFor(path), '{"type":"rotation","seq":');
    const log = await openLog(path, { rotateBytes: ROTATE });
    await log.append(sampleEntry(1), { durable: true });
    await log.close();
    await expect(stat(nextPathFor(path))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await verifyAuditLog({ path })).toMatchObject({ ok: true, calls: 21, warnings: [] });
  });

  it('recreates the active file after the old one was renamed but the new one not yet put in place', async () => {
    await closedLog();
    const rotated = await listRotatedFiles(path);
    // The state after step 3 of a rotation: the active file is renamed, and the sidecar names its checkpoint.
    const next = rotatedPathFor(path, rotated.length + 1);
    await rename(path, next);
    await writeFile(nextPathFor(path), '');
    const interrupted = await verifyAuditLog({ path });
    expect(interrupted.ok).toBe(true);
    expect(interrupted.warnings.join('\n')).toMatch(/no active file audit\.jsonl: a rotation stopped/);
    const log = await openLog(path, { rotateBytes: ROTATE });
    await log.append(sampleEntry(1), { durable: true });
    await log.close();
    const first = (await readRecords(path))[0] as RotationRecord;
    expect(first).toMatchObject({ type: 'rotation', previous: { file: basename(next) } });
    expect(await verifyAuditLog({ path })).toMatchObject({ ok: true, calls: 21, warnings: [] });
  });

  it('refuses to recreate a deleted active file whose checkpoint the sidecar remembers', async () => {
    await closedLog();
    await rm(path);
    const err: unknown = await openLog(path, { rotateBytes: ROTATE }).catch((e: unknown) => e);
    expect(isDataMcpError(err) && err.message).toMatch(/the active file was deleted/);
    expect((await verifyAuditLog({ path })).firstBad?.reason).toMatch(/head sidecar records checkpoint seq \d+: the tail was truncated/);
  });

  it('refuses to continue from a rotated file that does not end with its checkpoint', async () => {
    await closedLog();
    const last = (await listRotatedFiles(path)).at(-1)?.path as string;
    await rm(path);
    await rm(`${path}.head`);
    const lines = (await readFile(last, 'utf8')).trimEnd().split('\n');
    const withoutCheckpoint = lines.filter((l) => (JSON.parse(l) as CheckpointRecord).type !== 'checkpoint' || l !== lines.at(-1));
    await writeFile(last, `${withoutCheckpoint.join('\n')}\n`);
    const err: unknown = await openLog(path, { rotateBytes: ROTATE }).catch((e: unknown) => e);
    expect(isDataMcpError(err) && err.message).toMatch(/does not end with its closing checkpoint/);
  });
});
