import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog, type AuditLogOptions } from '../../../src/audit/audit-log.js';
import { listRotatedFiles } from '../../../src/audit/log-files.js';
import type { AuditRecord, CallEntry } from '../../../src/audit/record.js';

export function sampleEntry(i: number, overrides: Partial<CallEntry> = {}): CallEntry {
  return {
    principal: { sa: 'analyst', roles: ['reader'], credentialScope: { aws: 'aws:profile:demo', gcp: 'none' }, authMode: 'none' },
    client: { name: 'test-client', version: '1.0.0' },
    tool: 'read_object',
    requests: [{ action: 'read', resource: `local://demo/file-${i}.csv` }],
    decision: { result: 'allow', policies: ['policy0'] },
    arguments: { connector: 'demo', key: `file-${i}.csv`, limit: i },
    outcome: { status: 'ok', rows: i, bytes: i * 10, cache: 'miss' },
    durationMs: i,
    ...overrides,
  };
}

export async function makeTempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'audit-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function logOptions(path: string, overrides: Partial<AuditLogOptions> = {}): AuditLogOptions {
  return { path, checkpointEvery: 1000, checkpointSeconds: 3600, fsync: 'strict', ...overrides };
}

export async function openLog(path: string, overrides: Partial<AuditLogOptions> = {}): Promise<AuditLog> {
  return AuditLog.open(logOptions(path, overrides));
}

export async function readLogLines(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8');
  return text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
}

export async function readRecords(path: string): Promise<AuditRecord[]> {
  return (await readLogLines(path)).map((l) => JSON.parse(l) as AuditRecord);
}

/** Records on newline-terminated lines; a torn (unterminated) final line is left out. */
export async function readCompleteRecords(path: string): Promise<AuditRecord[]> {
  const text = await readFile(path, 'utf8');
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .slice(0, -1)
    .map((l) => JSON.parse(l) as AuditRecord);
}

/** Write `calls` records with a checkpoint every `every`, then close. */
export async function writeSampleLog(path: string, calls: number, every: number): Promise<void> {
  const log = await openLog(path, { checkpointEvery: every });
  for (let i = 1; i <= calls; i++) await log.append(sampleEntry(i), { durable: false });
  await log.close();
}

/** Every file of a (possibly rotated) log in chain order: rotated files, then the active one if present. */
export async function logFilePaths(path: string): Promise<string[]> {
  const rotated = (await listRotatedFiles(path)).map((f) => f.path);
  const active = await stat(path).then(
    () => [path],
    () => [],
  );
  return [...rotated, ...active];
}

/** Complete records of every file of the log, in chain order. */
export async function readAllCompleteRecords(path: string): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  for (const file of await logFilePaths(path)) out.push(...(await readCompleteRecords(file)));
  return out;
}
