import { generateKeyPairSync, sign } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeHash, sealRecord } from '../../../src/audit/chain.js';
import { keyIdOf } from '../../../src/audit/checkpoint-key.js';
import type { AuditRecord, CheckpointRecord } from '../../../src/audit/record.js';
import { formatVerifyReport, verifyAuditLog } from '../../../src/audit/verify.js';
import { canonicalJson, sha256Hex } from '../../../src/util/canonical-json.js';
import { makeTempDir, openLog, readLogLines, sampleEntry, writeSampleLog } from './helpers.js';

let cleanup: () => Promise<void>;
let path: string;
let lines: string[];

// 10 calls, a checkpoint every 4: lines 1-4 calls, 5 cp, 6-9 calls, 10 cp, 11-12 calls, 13 cp (close).
beforeEach(async () => {
  let dir: string;
  ({ dir, cleanup } = await makeTempDir());
  path = join(dir, 'audit.jsonl');
  await writeSampleLog(path, 10, 4);
  lines = await readLogLines(path);
});
afterEach(() => cleanup());

const parse = (line: string) => JSON.parse(line) as AuditRecord;
const save = (ls: string[]) => writeFile(path, `${ls.join('\n')}\n`);

/** Re-link every record from index `from` on, as a tamperer without the signing key would. */
function rechain(ls: string[], from: number): string[] {
  const out = [...ls];
  let prev = from === 0 ? '0'.repeat(64) : parse(out[from - 1] as string).hash;
  for (let i = from; i < out.length; i++) {
    const r = { ...parse(out[i] as string), prevHash: prev } as AuditRecord;
    if (r.type === 'checkpoint') r.headHash = prev;
    r.hash = computeHash(prev, r);
    prev = r.hash;
    out[i] = canonicalJson(r);
  }
  return out;
}

describe('verifyAuditLog', () => {
  it('accepts an untouched log', async () => {
    expect(lines).toHaveLength(13);
    const report = await verifyAuditLog({ path });
    expect(report).toEqual({ ok: true, records: 13, calls: 10, checkpoints: 3, lastSeq: 13, files: [{ file: 'audit.jsonl', records: 13, calls: 10, checkpoints: 3, firstSeq: 1, lastSeq: 13 }], warnings: [] });
    expect(formatVerifyReport(report)).toMatch(/^OK: 13 record\(s\): 10 call\(s\), 3 checkpoint\(s\); last seq 13$/);
  });

  it('names a modified record', async () => {
    const r = parse(lines[6] as string) as AuditRecord & { tool: string };
    r.tool = 'delete_object';
    lines[6] = canonicalJson(r);
    await save(lines);
    const report = await verifyAuditLog({ path });
    expect(report.ok).toBe(false);
    expect(report.firstBad).toEqual({ file: 'audit.jsonl', line: 7, seq: 7, reason: expect.stringMatching(/modified/) as string });
    expect(report.records).toBe(6);
    expect(formatVerifyReport(report)).toMatch(/^FAILED: first bad record at line 7 \(seq 7\)/);
  });

  it('names a modified record whose chain was rewritten up to the next checkpoint', async () => {
    const r = parse(lines[6] as string) as AuditRecord & { tool: string };
    r.tool = 'delete_object';
    lines[6] = canonicalJson(r);
    const relinked = rechain(lines, 6);
    await save(relinked);
    // The rewritten records are internally consistent; the signed checkpoint is not.
    expect((await verifyAuditLog({ path })).firstBad).toMatchObject({ line: 10, seq: 10, reason: expect.stringMatching(/signature/) as string });
  });

  it('names the record after a deleted one', async () => {
    lines.splice(2, 1);
    await save(lines);
    expect((await verifyAuditLog({ path })).firstBad).toMatchObject({ line: 3, seq: 4, reason: expect.stringMatching(/missing/) as string });
  });

  it('names an inserted (replayed) record', async () => {
    lines.splice(7, 0, lines[1] as string);
    await save(lines);
    expect((await verifyAuditLog({ path })).firstBad).toMatchObject({ line: 8, seq: 2, reason: expect.stringMatching(/inserted/) as string });
  });

  it('names the record displaced by a forged, correctly chained insertion', async () => {
    const forged = { ...parse(lines[2] as string), tool: 'forged' } as AuditRecord;
    forged.hash = computeHash(forged.prevHash, forged);
    lines.splice(2, 0, canonicalJson(forged));
    await save(lines);
    expect((await verifyAuditLog({ path })).firstBad).toMatchObject({ line: 4, seq: 3 });
  });

  it('names reordered records', async () => {
    [lines[5], lines[6]] = [lines[6] as string, lines[5] as string];
    await save(lines);
    expect((await verifyAuditLog({ path })).firstBad).toMatchObject({ line: 6, seq: 7 });
  });

  it('detects tail truncation through the head sidecar', async () => {
    await save(lines.slice(0, 8));
    const report = await verifyAuditLog({ path });
    expect(report.firstBad).toEqual({ file: 'audit.jsonl', line: 9, seq: 9, reason: expect.stringMatching(/truncated/) as string });
  });

  it('detects removal of only the last checkpoint', async () => {
    await save(lines.slice(0, 12));
    expect((await verifyAuditLog({ path })).firstBad).toMatchObject({ line: 13, seq: 13, reason: expect.stringMatching(/head sidecar records checkpoint seq 13/) as string });
  });

  it('warns, but cannot tell, when the sidecar is gone too', async () => {
    await save(lines.slice(0, 12));
    await rm(`${path}.head`);
    const report = await verifyAuditLog({ path });
    expect(report.ok).toBe(true);
    expect(report.warnings.join('\n')).toMatch(/2 unsealed record\(s\) after the last checkpoint \(seq 11–12\)/);
    expect(report.warnings.join('\n')).toMatch(/no head sidecar/);
  });

  it('names a checkpoint with a forged signature', async () => {
    const other = generateKeyPairSync('ed25519').privateKey;
    const cp = parse(lines[4] as string) as CheckpointRecord;
    const payload = { coversSeq: cp.coversSeq, headHash: cp.headHash, ts: cp.ts, keyId: cp.keyId };
    cp.signature = sign(null, Buffer.from(canonicalJson(payload)), other).toString('base64');
    lines[4] = canonicalJson(cp);
    await save(rechain(lines, 4));
    expect((await verifyAuditLog({ path })).firstBad).toMatchObject({ line: 5, seq: 5, reason: expect.stringMatching(/signature does not verify/) as string });
  });

  it('rejects checkpoints against a different public key', async () => {
    const other = generateKeyPairSync('ed25519').publicKey;
    const report = await verifyAuditLog({ path, publicKeyPem: other.export({ format: 'pem', type: 'spki' }).toString() });
    expect(report.firstBad).toMatchObject({ line: 5, reason: expect.stringContaining(keyIdOf(other)) as string });
  });

  it('names a non-JSON line', async () => {
    lines.splice(3, 0, 'this is not json');
    await save(lines);
    expect((await verifyAuditLog({ path })).firstBad).toEqual({ file: 'audit.jsonl', line: 4, reason: expect.stringMatching(/not a JSON audit record/) as string });
  });

  it('names a JSON line that is not a record, and an empty line', async () => {
    lines.splice(3, 0, '{"hello":"world"}');
    await save(lines);
    expect((await verifyAuditLog({ path })).firstBad).toMatchObject({ line: 4 });
    lines.splice(3, 1, '');
    await save(lines);
    expect((await verifyAuditLog({ path })).firstBad).toMatchObject({ line: 4 });
  });

  it('accepts a torn line only when the recovery record after it matches its bytes', async () => {
    const last = parse(lines.at(-1) as string);
    const fragment = Buffer.from('{"type":"call","seq":14,"to');
    const recovery = (tornBytes: number) =>
      canonicalJson(sealRecord({ type: 'recovery', seq: 14, ts: new Date().toISOString(), tornBytes, tornSha256: sha256Hex(fragment) }, last.hash));
    await save([...lines, fragment.toString(), recovery(fragment.length)]);
    expect(await verifyAuditLog({ path })).toMatchObject({ ok: true, lastSeq: 14 });
    await save([...lines, fragment.toString(), recovery(fragment.length + 1)]);
    expect((await verifyAuditLog({ path })).firstBad).toMatchObject({ line: 15, reason: expect.stringMatching(/recovery record does not match/) as string });
    await save([...lines, recovery(fragment.length)]);
    expect((await verifyAuditLog({ path })).firstBad).toMatchObject({ line: 14, reason: expect.stringMatching(/recovery record does not match/) as string });
  });

  it('reports a torn final line as a warning: it was never acknowledged', async () => {
    await writeFile(path, `${lines.join('\n')}\n{"type":"call","seq":14,"to`);
    const report = await verifyAuditLog({ path });
    expect(report.ok).toBe(true);
    expect(report.warnings.join('\n')).toMatch(/line 14: torn final line/);
  });

  it('reports unsealed records after the last checkpoint', async () => {
    const log = await openLog(path);
    await log.append(sampleEntry(11), { durable: true });
    await log.append(sampleEntry(12), { durable: true });
    // Read while still open: no final checkpoint yet.
    const report = await verifyAuditLog({ path });
    await log.close();
    expect(report.ok).toBe(true);
    expect(report.warnings).toEqual([expect.stringMatching(/2 unsealed record\(s\) after the last checkpoint \(seq 14–15\)/)]);
  });

  it('warns when there is no public key to check signatures with', async () => {
    await rm(`${path}.pub`);
    const report = await verifyAuditLog({ path });
    expect(report.ok).toBe(true);
    expect(report.warnings.join('\n')).toMatch(/signatures not verified/);
  });

  it('throws a clear error for a missing log or a bad key', async () => {
    await expect(verifyAuditLog({ path: `${path}.missing` })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(verifyAuditLog({ path, publicKeyPem: 'nope' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
