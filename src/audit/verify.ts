import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { invalidArgument, notFound } from '../results/errors.js';
import { publicKeyPathFor } from './checkpoint-key.js';
import { headPathFor, readHeadSidecar, type HeadSidecar } from './head-sidecar.js';
import { listRotatedFiles, type LogFile } from './log-files.js';
import { readLines } from './read-lines.js';
import { ChainChecker, type BadRecord, type FileReport } from './verify-chain.js';

export interface VerifyReport {
  ok: boolean;
  records: number;
  calls: number;
  checkpoints: number;
  lastSeq: number;
  /** Per file, in chain order: rotated files first, the active file last. */
  files: FileReport[];
  firstBad?: BadRecord;
  warnings: string[];
}

/**
 * `data-mcp audit verify`: walk the whole set — rotated files `<log>.000001`, … in order, then
 * the active file — as one chain: recompute every hash and link, check seq contiguity, every
 * checkpoint signature, that each file continues exactly the one before it and that each
 * rotated file ends with its closing checkpoint, and compare the end with the `<log>.head`
 * sidecar. Stops at, and names, the first bad record and its file. Streams, so size does not matter.
 */
export async function verifyAuditLog(opts: { path: string; publicKeyPem?: string }): Promise<VerifyReport> {
  const rotated = await listRotatedFiles(opts.path).catch(() => [] as LogFile[]);
  const activeExists = await stat(opts.path).then(
    () => true,
    () => false,
  );
  if (!activeExists && rotated.length === 0) {
    throw notFound(`audit log not found: ${opts.path}`, 'Pass the path of the audit log (audit.path in the config).');
  }
  const publicKey = await loadPublicKey(opts);
  const warnings: string[] = [];
  let sidecar: HeadSidecar | undefined;
  try {
    sidecar = await readHeadSidecar(opts.path);
  } catch {
    warnings.push(`${headPathFor(opts.path)} is unreadable or malformed: tail truncation cannot be checked`);
  }
  const files = [...rotated.map((f) => ({ ...f, rotated: true })), ...(activeExists ? [{ name: basename(opts.path), path: opts.path, rotated: false }] : [])];
  if (!activeExists) {
    warnings.push(`no active file ${basename(opts.path)}: a rotation stopped before the new file was in place (the next start creates it), or it was deleted`);
  }
  const checker = new ChainChecker(publicKey, sidecar, new Set(files.map((f) => f.name)));
  let firstBad: BadRecord | undefined;
  for (const file of files) {
    checker.beginFile(file.name, file.rotated);
    try {
      for await (const line of readLines(file.path)) {
        firstBad = checker.check(line);
        if (firstBad) break;
      }
    } catch (err) {
      // A file of the set that cannot be read (a directory in its place, no permission) is a finding, not a crash.
      firstBad = { file: file.name, line: checker.lines + 1, reason: `cannot read ${file.name} (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
    }
    firstBad ??= checker.endFile();
    if (firstBad) break;
  }
  firstBad ??= checker.finish();
  warnings.push(...checker.warnings);
  if (!firstBad) warnings.push(...endWarnings(checker, publicKey, sidecar, opts.path));
  const report: VerifyReport = {
    ok: firstBad === undefined,
    records: checker.records,
    calls: checker.calls,
    checkpoints: checker.checkpoints,
    lastSeq: checker.lastSeq,
    files: checker.files,
    warnings,
  };
  if (firstBad) report.firstBad = firstBad;
  return report;
}

function endWarnings(checker: ChainChecker, publicKey: KeyObject | undefined, sidecar: HeadSidecar | undefined, path: string): string[] {
  const out: string[] = [];
  if (checker.unsealed > 0) {
    const from = checker.lastSeq - checker.unsealed + 1;
    out.push(`${checker.unsealed} unsealed record(s) after the last checkpoint (seq ${from}–${checker.lastSeq}): their truncation cannot be detected`);
  }
  if (!publicKey && checker.checkpoints > 0) out.push(`checkpoint signatures not verified: no public key (pass one, or restore ${publicKeyPathFor(path)})`);
  if (!sidecar && checker.records > 0) out.push(`no head sidecar (${headPathFor(path)}): tail truncation cannot be detected`);
  return out;
}

async function loadPublicKey(opts: { path: string; publicKeyPem?: string }): Promise<KeyObject | undefined> {
  let pem = opts.publicKeyPem;
  if (pem === undefined) {
    pem = await readFile(publicKeyPathFor(opts.path), 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    if (pem === undefined) return undefined;
  }
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType === 'ed25519') return key;
  } catch {
    // fall through to the error below
  }
  throw invalidArgument('the checkpoint public key is not an Ed25519 public key in PEM form', 'Pass the SPKI PEM written beside the log as <log>.pub.');
}

/** Human-readable report for the CLI. */
export function formatVerifyReport(report: VerifyReport): string {
  const counts = `${report.records} record(s): ${report.calls} call(s), ${report.checkpoints} checkpoint(s); last seq ${report.lastSeq}${report.files.length > 1 ? `; ${report.files.length} files` : ''}`;
  const lines: string[] = [];
  if (report.firstBad) {
    const { file, line, seq, reason } = report.firstBad;
    lines.push(`FAILED: first bad record at line ${line}${seq !== undefined ? ` (seq ${seq})` : ''}${file ? ` of ${file}` : ''}: ${reason}`);
    lines.push(`verified before it: ${counts}`);
  } else {
    lines.push(`OK: ${counts}`);
  }
  // Per-file lines only for a rotated log: a single file's summary is the total.
  if (report.files.length > 1) {
    for (const f of report.files) lines.push(`  ${f.file}: ${f.records} record(s), ${f.calls} call(s), ${f.checkpoints} checkpoint(s); seq ${f.firstSeq}–${f.lastSeq}`);
  }
  for (const w of report.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}
