import { readFileSync, writeFileSync } from 'node:fs';
import { bigFilesTable } from './report-big-files.js';
import { engineTable } from './report-engine.js';
import { pagingTable } from './report-paging.js';
import { machineLine, payloadLine, resultsTable, type BenchResults } from './report.js';

export const START_MARKER = '<!-- bench:latest:start -->';
export const END_MARKER = '<!-- bench:latest:end -->';

/**
 * Replaces the "latest figures" block of BENCHMARKS.md (between the markers) with this run's
 * figures; the prose around it is written by people and left alone.
 */
export function writeLatest(path: string, results: BenchResults): void {
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(START_MARKER);
  const end = text.indexOf(END_MARKER);
  if (start < 0 || end < start) throw new Error(`${path} has no ${START_MARKER} … ${END_MARKER} block to update`);
  const block = [START_MARKER, '', `Measured ${machineLine(results)}.`, '', resultsTable(results), '', payloadLine(results), '', pagingTable(results.paging), '', bigFilesTable(results.bigFiles), '', engineTable(results.engine), '', END_MARKER].join('\n');
  writeFileSync(path, text.slice(0, start) + block + text.slice(end + END_MARKER.length));
}
