import { pino, type Logger } from 'pino';

export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

/** A real pino logger whose lines land in an array, so tests can count warnings. */
export function captureLogger(): { logger: Logger; lines: LogLine[]; at: (level: string) => LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino(
    { level: 'debug', formatters: { level: (label) => ({ level: label }) } },
    { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
  );
  return { logger, lines, at: (level) => lines.filter((l) => l.level === level) };
}
