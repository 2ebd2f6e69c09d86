import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { invalidArgument, notFound } from '../results/errors.js';
import { publicKeyPathFor } from './checkpoint-key.js';
import { headPathFor, readHeadSidecar, type HeadSidecar } from './head-sidecar.js';
import { readLines } from './read-lines.js';
import { ChainChecker, type BadRecord } from './verify-chain.js';

export interface VerifyReport {
  ok: boolean;
  records: number;
  calls: number;
  checkpoints: number;
  lastSeq: number;
  firstBad?: BadRecord;
  warnings: string[];
}

/**
 * `data-mcp audit verify`: recompute every hash and link, check seq contiguity and every
 * checkpoint signature, and compare the end of the log with the `<log>.head` sidecar.
 * Stops at, and names, the first bad record. Streams the file, so size does not matter.
 */
export async function verifyAuditLog(opts: { path: string; publicKeyPem?: string }): Promise<VerifyReport> {
  await stat(opts.path).catch(() => {
    throw notFound(`audit log not found: ${opts.path}`, 'Pass the path of the audit log (audit.path in the config).');
  });
  const publicKey = await loadPublicKey(opts);
  const warnings: string[] = [];
  let sidecar: HeadSidecar | undefined;
  try {
    sidecar = await readHeadSidecar(opts.path);
  } catch {
    warnings.push(`${headPathFor(opts.path)} is unreadable or malformed: tail truncation cannot be checked`);
  }
  const checker = new ChainChecker(publicKey, sidecar);
  let firstBad: BadRecord | undefined;
  for await (const line of readLines(opts.path)) {
    firstBad = checker.check(line);
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
  const counts = `${report.records} record(s): ${report.calls} call(s), ${report.checkpoints} checkpoint(s); last seq ${report.lastSeq}`;
  const lines: string[] = [];
  if (report.firstBad) {
    const { line, seq, reason } = report.firstBad;
    lines.push(`FAILED: first bad record at line ${line}${seq !== undefined ? ` (seq ${seq})` : ''}: ${reason}`);
    lines.push(`verified before it: ${counts}`);
  } else {
    lines.push(`OK: ${counts}`);
  }
  for (const w of report.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}
