import type * as arrow from 'apache-arrow';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** What `process.memoryUsage()` says, in bytes; `heapUsed + arrayBuffers` is what JS holds (Arrow columns live in ArrayBuffers, outside the heap). */
export interface MemorySample {
  heapUsed: number;
  arrayBuffers: number;
  rss: number;
}

export function sampleMemory(): MemorySample {
  const { heapUsed, arrayBuffers, rss } = process.memoryUsage();
  return { heapUsed, arrayBuffers, rss };
}

/** `a − b`, field by field. */
export function minus(a: MemorySample, b: MemorySample): MemorySample {
  return { heapUsed: a.heapUsed - b.heapUsed, arrayBuffers: a.arrayBuffers - b.arrayBuffers, rss: a.rss - b.rss };
}

/** The larger of each field (a running peak). */
export function peakOf(a: MemorySample, b: MemorySample): MemorySample {
  return { heapUsed: Math.max(a.heapUsed, b.heapUsed), arrayBuffers: Math.max(a.arrayBuffers, b.arrayBuffers), rss: Math.max(a.rss, b.rss) };
}

export const held = (m: MemorySample): number => m.heapUsed + m.arrayBuffers;

let gcFunction: (() => void) | undefined;

/**
 * A full garbage collection, so "retained" figures are what is still referenced rather than
 * what the collector has not reached yet. The bench runs without `--expose-gc`; the flag can
 * be turned on at run time, and a new context then sees `gc`.
 */
export function collectGarbage(): void {
  if (!gcFunction) {
    setFlagsFromString('--expose-gc');
    gcFunction = runInNewContext('gc') as () => void;
  }
  // Twice: the first pass may only queue finalizers whose memory the second one frees.
  gcFunction();
  gcFunction();
}

/** A full collection, then a sample. */
export function retainedMemory(): MemorySample {
  collectGarbage();
  return sampleMemory();
}

/** Bytes of an Arrow table's buffers: values, offsets, validity, children and dictionaries. */
export function arrowBytes(table: arrow.Table): number {
  let bytes = 0;
  for (const batch of table.batches) for (const column of batch.data.children) bytes += dataBytes(column);
  return bytes;
}

function dataBytes(data: arrow.Data): number {
  // Data.byteLength covers its own buffers and children, not a dictionary's values.
  let bytes = data.byteLength;
  for (const dictionary of data.dictionary?.data ?? []) bytes += dataBytes(dictionary);
  return bytes;
}

export const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
