import { generateKeyPairSync } from 'node:crypto';
import { copyFile, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeHash } from '../../../src/audit/chain.js';
import { listRotatedFiles, rotatedPathFor } from '../../../src/audit/log-files.js';
import type { AuditRecord, RotationRecord } from '../../../src/audit/record.js';
import { formatVerifyReport, verifyAuditLog } from '../../../src/audit/verify.js';
import { canonicalJson } from '../../../src/util/canonical-json.js';
import { recordFigure } from '../../security/figures.js';
import { makeTempDir, openLog, readLogLines, sampleEntry } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let path: string;
let keyFile: string;

/** The same calls, the same key, the same file names: only the chain (ts, eventIds) differs. */
async function writeLog(logPath: string): Promise<void> {
  const log = await openLog(logPath, { rotateBytes: 4096, checkpointEvery: 2, checkpointKeyFile: keyFile });
  for (let i = 1; i <= 30; i++) await log.append(sampleEntry(i), { durable: i % 2 === 0 });
  await log.close();
}

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  keyFile = join(dir, 'checkpoint.key');
  await writeFile(keyFile, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  path = join(dir, 'log', 'audit.jsonl');
  await writeLog(path);
});
afterEach(() => cleanup());

const parse = (line: string) => JSON.parse(line) as AuditRecord;
const rotated = (i: number) => rotatedPathFor(path, i);
const name = (i: number) => basename(rotated(i));
const linesOf = (p: string) => readLogLines(p);
const save = (p: string, ls: string[]) => writeFile(p, ls.length > 0 ? `${ls.join('\n')}\n` : '');
async function edit(p: string, change: (ls: string[]) => string[] | void): Promise<void> {
  const ls = await linesOf(p);
  await save(p, change(ls) ?? ls);
}
const lastIndex = async () => (await listRotatedFiles(path)).length;

/** Re-link records from index `from` to the end of a file, as a tamperer without the key would. */
function rechain(ls: string[], from: number): string[] {
  const out = [...ls];
  let prev = parse(out[from - 1] as string).hash;
  for (let i = from; i < out.length; i++) {
    const r = { ...parse(out[i] as string), prevHash: prev } as AuditRecord;
    if (r.type === 'checkpoint') r.headHash = prev;
    r.hash = computeHash(prev, r);
    prev = r.hash;
    out[i] = canonicalJson(r);
  }
  return out;
}

interface TamperCase {
  name: string;
  tamper: () => Promise<void>;
  /** The file and line the report must name, and why. */
  expected: () => Promise<{ file: string; line?: number; reason: RegExp }>;
}

const cases: TamperCase[] = [
  {
    name: 'a record modified in a rotated file',
    tamper: () => edit(rotated(2), (ls) => void (ls[3] = canonicalJson({ ...parse(ls[3] as string), tool: 'delete_object' }))),
    expected: async () => ({ file: name(2), line: 4, reason: /hash mismatch: this record was modified/ }),
  },
  {
    name: 'a record modified and the rest of its file re-chained (no key)',
    tamper: () => edit(rotated(2), (ls) => rechain(ls.map((l, i) => (i === 2 ? canonicalJson({ ...parse(l), tool: 'forged' }) : l)), 2)),
    expected: async () => {
      const ls = await linesOf(rotated(2));
      const cp = ls.findIndex((l, i) => i > 2 && parse(l).type === 'checkpoint');
      return { file: name(2), line: cp + 1, reason: /signature does not verify/ };
    },
  },
  {
    name: 'a record deleted from a rotated file',
    tamper: () => edit(rotated(2), (ls) => void ls.splice(3, 1)),
    expected: async () => ({ file: name(2), line: 4, reason: /missing/ }),
  },
  {
    name: 'a record of another file replayed into a rotated file',
    tamper: async () => {
      const donor = (await linesOf(rotated(1)))[1] as string;
      await edit(rotated(2), (ls) => void ls.splice(3, 0, donor));
    },
    expected: async () => ({ file: name(2), line: 4, reason: /inserted, duplicated or reordered/ }),
  },
  {
    name: 'two records of a rotated file swapped',
    tamper: () => edit(rotated(2), (ls) => void ([ls[2], ls[3]] = [ls[3] as string, ls[2] as string])),
    expected: async () => ({ file: name(2), line: 3, reason: /seq jumps/ }),
  },
  {
    name: 'a rotation record moved into the middle of a file',
    tamper: async () => {
      const link = (await linesOf(rotated(3)))[0] as string;
      await edit(rotated(2), (ls) => void ls.splice(3, 0, link));
    },
    expected: async () => ({ file: name(2), line: 4, reason: /rotation record in the middle of a file/ }),
  },
  {
    name: 'a rotated file deleted',
    tamper: () => rm(rotated(2)),
    expected: async () => ({ file: name(3), line: 1, reason: new RegExp(`continues ${name(2)}, which is missing`) }),
  },
  {
    name: 'the oldest rotated file deleted',
    tamper: () => rm(rotated(1)),
    expected: async () => ({ file: name(2), line: 1, reason: /the files before it were deleted, renamed or archived/ }),
  },
  {
    name: 'two rotated files swapped (renamed into each other)',
    tamper: async () => {
      await rename(rotated(2), join(dir, 'swap'));
      await rename(rotated(3), rotated(2));
      await rename(join(dir, 'swap'), rotated(3));
    },
    expected: async () => ({ file: name(2), line: 1, reason: /files were reordered, renamed or duplicated/ }),
  },
  {
    name: 'the newest rotated file renamed to a later index',
    tamper: async () => {
      const n = await lastIndex();
      await rename(rotated(n), rotated(n + 5));
    },
    expected: async () => ({ file: 'audit.jsonl', line: 1, reason: new RegExp(`continues ${name(await lastIndex())}, which is missing`) }),
  },
  {
    name: 'a rotated file duplicated at the next free index',
    tamper: async () => copyFile(rotated(2), rotated((await lastIndex()) + 1)),
    expected: async () => ({ file: name(await lastIndex()), line: 1, reason: new RegExp(`continues ${name(1)}, but follows`) }),
  },
  {
    name: 'a rotated file duplicated under a differently padded name',
    tamper: () => copyFile(rotated(2), `${path}.0000002`),
    expected: async () => ({ file: name(2), line: 1, reason: /continues audit\.jsonl\.000001, but follows audit\.jsonl\.0000002/ }),
  },
  {
    name: 'a rotated file replaced by the same-named file of another log (same key, valid chain)',
    tamper: async () => {
      const foreign = join(dir, 'other', 'audit.jsonl');
      await writeLog(foreign);
      await copyFile(rotatedPathFor(foreign, 2), rotated(2));
    },
    expected: async () => ({ file: name(2), line: 1, reason: /spliced in from another log/ }),
  },
  {
    name: 'the first file of another log spliced in as a rotated file',
    tamper: async () => {
      const foreign = join(dir, 'other', 'audit.jsonl');
      await writeLog(foreign);
      await copyFile(rotatedPathFor(foreign, 1), rotated(2));
    },
    expected: async () => ({ file: name(2), line: 1, reason: /does not start with a rotation record/ }),
  },
  {
    name: 'the tail of a rotated file cut (closing checkpoint gone)',
    tamper: () => edit(rotated(2), (ls) => ls.slice(0, -2)),
    expected: async () => ({ file: name(2), reason: /does not end with its closing checkpoint: its tail was truncated/ }),
  },
  {
    name: 'the tail of a rotated file cut back to an earlier checkpoint',
    tamper: () => edit(rotated(2), (ls) => ls.slice(0, 2)),
    expected: async () => ({ file: name(2), line: 3, reason: /ends at seq \d+, but audit\.jsonl\.000003 says it ended at seq \d+: its tail was truncated/ }),
  },
  {
    name: 'a rotated file cut in the middle of its last line',
    tamper: async () => {
      const text = await readFile(rotated(2), 'utf8');
      await writeFile(rotated(2), text.slice(0, -40));
    },
    expected: async () => ({ file: name(2), reason: /ends in a partial line/ }),
  },
  {
    name: 'a rotated file emptied',
    tamper: () => writeFile(rotated(2), ''),
    expected: async () => ({ file: name(2), line: 1, reason: /holds no records/ }),
  },
  {
    name: 'the tail of the active file cut',
    tamper: () => edit(path, (ls) => ls.slice(0, -2)),
    expected: async () => ({ file: 'audit.jsonl', reason: /head sidecar records checkpoint seq \d+: the tail was truncated/ }),
  },
  {
    name: 'the active file deleted',
    tamper: () => rm(path),
    expected: async () => ({ file: name(await lastIndex()), reason: /head sidecar records checkpoint seq \d+: the tail was truncated/ }),
  },
  {
    name: 'a rotation record re-pointed at another file and re-hashed',
    tamper: () =>
      edit(rotated(3), (ls) => {
        const r = parse(ls[0] as string) as RotationRecord;
        return rechain([canonicalJson({ ...r, previous: { ...r.previous, file: name(1) }, hash: computeHash(r.prevHash, { ...r, previous: { ...r.previous, file: name(1) } }) }), ...ls.slice(1)], 1);
      }),
    expected: async () => ({ file: name(3), line: 1, reason: new RegExp(`continues ${name(1)}, but follows ${name(2)}`) }),
  },
];

describe('audit verify across rotated files', () => {
  it('accepts the honest set and reports every file', async () => {
    const n = await lastIndex();
    expect(n).toBeGreaterThanOrEqual(4);
    const report = await verifyAuditLog({ path });
    expect(report).toMatchObject({ ok: true, calls: 30, warnings: [] });
    expect(report.files.map((f) => f.file)).toEqual([...Array.from({ length: n }, (_, i) => name(i + 1)), 'audit.jsonl']);
    for (const [i, f] of report.files.entries()) {
      expect(f.firstSeq).toBe(i === 0 ? 1 : (report.files[i - 1]?.lastSeq ?? 0) + 1);
      expect(f.records).toBe(f.lastSeq - f.firstSeq + 1);
    }
    const text = formatVerifyReport(report);
    expect(text).toMatch(new RegExp(`^OK: ${report.records} record\\(s\\): 30 call\\(s\\), ${report.checkpoints} checkpoint\\(s\\); last seq ${report.lastSeq}; ${n + 1} files`));
    expect(text).toContain(`  ${name(2)}: ${report.files[1]?.records} record(s)`);
  });

  it.for(cases)('catches $name and names the file', async (c, ctx) => {
    await c.tamper();
    const expected = await c.expected();
    const report = await verifyAuditLog({ path });
    expect(report.ok).toBe(false);
    expect(report.firstBad).toMatchObject({ file: expected.file, ...(expected.line !== undefined ? { line: expected.line } : {}) });
    expect(report.firstBad?.reason).toMatch(expected.reason);
    expect(formatVerifyReport(report)).toMatch(new RegExp(`^FAILED: first bad record at line \\d+( \\(seq \\d+\\))? of ${expected.file.replace(/\./g, '\\.')}: `));
    recordFigure(ctx, 'audit: tamper cases caught', 1);
  });
});
