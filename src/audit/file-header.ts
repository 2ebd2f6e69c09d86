import { sealLine } from './chain.js';
import type { CheckpointSigner } from './checkpoint-key.js';
import { checkpointPayload, type CheckpointRecord, type RotationRecord } from './record.js';
import type { ChainPosition } from './resume.js';

/** A signed checkpoint sealing the record at `position` (the one just before it). */
export function sealCheckpoint(position: Pick<ChainPosition, 'seq' | 'hash'>, signer: CheckpointSigner): { record: CheckpointRecord; line: string } {
  const payload = checkpointPayload({ coversSeq: position.seq, headHash: position.hash, ts: new Date().toISOString(), keyId: signer.keyId });
  return sealLine({ type: 'checkpoint' as const, seq: position.seq + 1, ...payload, signature: signer.sign(payload) }, position.hash);
}

export interface FileHeader {
  /** The two lines (rotation record, checkpoint), newline-terminated, written as one unit. */
  text: string;
  bytes: number;
  checkpoint: CheckpointRecord;
  /** The chain after the header: the checkpoint, nothing unsealed. */
  position: ChainPosition;
}

/**
 * The first two records of a new active file: a rotation record naming the file the chain
 * continues from, and a checkpoint over it. The checkpoint goes into the head sidecar, so from
 * the moment the new file exists, deleting it is detectable like any tail truncation.
 */
export function sealFileHeader(position: Pick<ChainPosition, 'seq' | 'hash'>, previousFile: string, signer: CheckpointSigner): FileHeader {
  const rotation = sealLine<Omit<RotationRecord, 'prevHash' | 'hash'>>(
    {
      type: 'rotation' as const,
      seq: position.seq + 1,
      ts: new Date().toISOString(),
      previous: { file: previousFile, lastSeq: position.seq, lastHash: position.hash },
    },
    position.hash,
  );
  const checkpoint = sealCheckpoint(rotation.record, signer);
  const text = `${rotation.line}\n${checkpoint.line}\n`;
  return {
    text,
    bytes: Buffer.byteLength(text),
    checkpoint: checkpoint.record,
    position: { seq: checkpoint.record.seq, hash: checkpoint.record.hash, unsealed: 0 },
  };
}
