import { tableFromIPC, tableToIPC } from 'apache-arrow';
import type { ToolOutput } from '../tools/define-tool.js';

/**
 * Cached tool outputs: a JSON header (structured fields, summary, audit facts) and, for data
 * results, the table as Arrow IPC — compact, and decoded without per-row work on a hit.
 */
export function encodeOutput(output: ToolOutput): Uint8Array {
  const header = Buffer.from(JSON.stringify({ structured: output.structured, summary: output.summary, audit: output.audit ?? {}, grants: output.grants ?? [] }));
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(header.length);
  const parts: Uint8Array[] = [prefix, header];
  if (output.table) parts.push(tableToIPC(output.table, 'stream'));
  return Buffer.concat(parts);
}

export function decodeOutput(value: Uint8Array): ToolOutput {
  const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  const headerLength = bytes.readUInt32BE(0);
  const header = JSON.parse(bytes.subarray(4, 4 + headerLength).toString('utf8')) as Pick<ToolOutput, 'structured' | 'summary' | 'audit' | 'grants'>;
  const rest = bytes.subarray(4 + headerLength);
  return { ...header, ...(rest.length > 0 ? { table: tableFromIPC(rest) } : {}) };
}
