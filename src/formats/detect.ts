/** Which reader a path needs: from an explicit `format` argument, else from the extension. */
import { invalidArgument } from '../results/errors.js';

export const FORMATS = ['csv', 'json', 'jsonl', 'parquet', 'arrow'] as const;
export type Format = (typeof FORMATS)[number];

const BY_EXTENSION: Record<string, Format> = {
  csv: 'csv',
  json: 'json',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  parquet: 'parquet',
  pq: 'parquet',
  arrow: 'arrow',
  arrows: 'arrow',
  feather: 'arrow',
  ipc: 'arrow',
};

const HINT = `Supported formats: ${FORMATS.join(', ')} (extensions .csv, .json, .jsonl/.ndjson, .parquet/.pq, .arrow/.arrows/.feather/.ipc). Pass the \`format\` argument to read a file whose name does not say its format.`;

export function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

export function detectFormat(path: string, explicit?: string): Format {
  if (explicit !== undefined) {
    const wanted = explicit.trim().toLowerCase();
    if (isFormat(wanted)) return wanted;
    throw invalidArgument(`Unknown format "${explicit}".`, HINT);
  }
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  const format = BY_EXTENSION[extension];
  if (format) return format;
  const what = extension ? `extension ".${extension}"` : 'no extension';
  throw invalidArgument(`Cannot tell the format of "${name}" (${what}).`, HINT);
}
