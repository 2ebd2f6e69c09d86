import { sha256Hex } from '../util/canonical-json.js';
import { GENESIS_HASH, sealLine } from './chain.js';
import { parseRecordLine } from './log-tail.js';
import type { AuditRecord, RecoveryRecord } from './record.js';

/** Where the chain stands: the newest record, and how many records no checkpoint seals yet. */
export interface ChainPosition {
  seq: number;
  hash: string;
  unsealed: number;
}

/** A torn tail that is in fact a whole, correctly chained record which only lost its newline. */
export function wholeTornRecord(last: AuditRecord | undefined, torn: Buffer): AuditRecord | undefined {
  const record = parseRecordLine(torn.toString('utf8'));
  const expected = last ? { seq: last.seq + 1, prevHash: last.hash } : { seq: 1, prevHash: GENESIS_HASH };
  return record && record.seq === expected.seq && record.prevHash === expected.prevHash ? record : undefined;
}

/**
 * A crash mid-write can leave a final line without its newline. Its promise never resolved,
 * so the record was never acknowledged; the file is append-only, so it cannot be cut either.
 * Instead the fragment is closed with a newline and followed by a recovery record naming its
 * length and digest, chained to the last whole record: `verify` accepts exactly that shape and
 * reports it as a warning, while any other non-record line stays an error.
 */
export async function sealTornTail(writer: { write(line: string, durable: boolean): Promise<void> }, position: ChainPosition, torn: Buffer): Promise<ChainPosition> {
  const { record: recovery, line } = sealLine<Omit<RecoveryRecord, 'prevHash' | 'hash'>>(
    {
      type: 'recovery' as const,
      seq: position.seq + 1,
      ts: new Date().toISOString(),
      tornBytes: torn.length,
      tornSha256: sha256Hex(torn),
    },
    position.hash,
  );
  // One write, so the newline that closes the fragment never lands without its explanation.
  await writer.write(`\n${line}\n`, true);
  return { seq: recovery.seq, hash: recovery.hash, unsealed: position.unsealed + 1 };
}
