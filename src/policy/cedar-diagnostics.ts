import type { DetailedError } from './cedar.js';

/** 1-based line and column of a character offset, for messages an operator can jump to. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * One readable line per Cedar diagnostic: `file:line:col: message (help)`. `baseOffset` places
 * a diagnostic of one policy inside the file the policy came from.
 */
export function describeCedarError(err: DetailedError, file: string, fileText: string, baseOffset = 0): string {
  const start = err.sourceLocations?.[0]?.start;
  const where = start === undefined ? file : (() => {
    const { line, column } = lineAndColumn(fileText, baseOffset + start);
    return `${file}:${line}:${column}`;
  })();
  const label = err.sourceLocations?.[0]?.label;
  const help = err.help ? ` (${err.help})` : '';
  return `${where}: ${err.message}${label ? ` — ${label}` : ''}${help}`;
}

/** Messages of a Cedar failure, joined; never a stack. */
export function cedarErrorText(errors: readonly DetailedError[]): string {
  return errors.map((e) => e.message).join('; ');
}
