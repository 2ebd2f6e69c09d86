/** Arrow IPC (file or stream format) ↔ tables. IPC is read whole: it has no row-level framing to stop on. */
import * as arrow from 'apache-arrow';
import type { ByteSource } from '../connectors/types.js';
import { isDataMcpError, invalidArgument } from '../results/errors.js';
import { readWhole, throwIfAborted } from './byte-stream.js';
import type { BatchReadOptions } from './csv.js';
import { checkProjection } from './projection.js';

export async function readArrowTable(source: ByteSource, signal?: AbortSignal): Promise<arrow.Table> {
  const bytes = await readWhole(source, signal);
  try {
    const table = arrow.tableFromIPC(bytes);
    if (table.schema.fields.length === 0 && bytes.length > 0) throw new Error('no schema message found');
    return table;
  } catch (error) {
    if (isDataMcpError(error)) throw error;
    throw invalidArgument(
      `"${source.path}" is not a valid Arrow IPC file or stream: ${error instanceof Error ? error.message : String(error)}`,
      'The object may be truncated or not Arrow IPC. Pass the right `format` argument if the extension is misleading.',
      { path: source.path },
    );
  }
}

export async function* readArrowBatches(source: ByteSource, options: BatchReadOptions = {}): AsyncGenerator<arrow.Table> {
  const table = await readArrowTable(source, options.signal);
  checkProjection(table.schema.fields.map((f) => f.name), options.columns, source.path);
  const projected = options.columns ? table.select(options.columns) : table;
  if (projected.batches.length === 0) {
    yield projected;
    return;
  }
  for (const batch of projected.batches) {
    throwIfAborted(options.signal);
    yield new arrow.Table(batch);
  }
}

/** Stream format by default: it allows a dictionary to change between batches, which ours do. */
export function tableToIpc(table: arrow.Table, format: 'stream' | 'file' = 'stream'): Uint8Array {
  return arrow.tableToIPC(table, format);
}

export function tableFromIpc(bytes: Uint8Array): arrow.Table {
  return arrow.tableFromIPC(bytes);
}
