/**
 * Checks that planted text stays inside the one real untrusted-data boundary of a result. The
 * real boundary is the tag pair whose nonce is not one the payloads forge; it must open and
 * close exactly once, in order, and every occurrence of the payload's marker must lie between.
 * Inside, nothing may break a line except the table's own row separators (`lines`, when given).
 */
const TAG = /<\/?untrusted-data-([0-9a-f]{16})>/g;
// eslint-disable-next-line no-control-regex -- control characters are what we look for
const FORBIDDEN_INSIDE = /[\r\v\f\u0085\u2028\u2029\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f]/;

export interface BoundaryExpectation {
  marker: string;
  fakeNonces: readonly string[];
  /** Exact number of lines the block body must have (header + rows); undefined to skip. */
  lines?: number;
  /** True when the block must be the last thing in the text (tables); errors go on with a hint. */
  atEnd: boolean;
}

export function boundaryProblems(text: string, want: BoundaryExpectation): string[] {
  const nonces = new Set([...text.matchAll(TAG)].map((m) => m[1]!).filter((n) => !want.fakeNonces.includes(n)));
  if (nonces.size !== 1) return [`expected exactly one real boundary nonce, found ${nonces.size}`];
  const nonce = [...nonces][0]!;
  const open = `<untrusted-data-${nonce}>`;
  const close = `</untrusted-data-${nonce}>`;
  const problems: string[] = [];
  if (text.split(open).length !== 2) problems.push(`the opening tag appears ${text.split(open).length - 1} times`);
  if (text.split(close).length !== 2) problems.push(`the closing tag appears ${text.split(close).length - 1} times`);
  const start = text.indexOf(open) + open.length;
  const end = text.indexOf(close);
  if (end < start) return [...problems, 'the boundary closes before it opens'];
  const occurrences = [...text.matchAll(new RegExp(want.marker, 'g'))].map((m) => m.index);
  if (occurrences.length === 0) problems.push(`the marker ${want.marker} does not appear at all (the surface was not exercised)`);
  const outside = occurrences.filter((i) => i < start || i >= end);
  if (outside.length > 0) problems.push(`the marker ${want.marker} appears outside the boundary ${outside.length} time(s): ${JSON.stringify(text.slice(0, 300))}`);
  const body = text.slice(start, end);
  if (FORBIDDEN_INSIDE.test(body)) problems.push(`the block holds a line break or control character the data put there: ${JSON.stringify(FORBIDDEN_INSIDE.exec(body)?.[0])}`);
  if (want.lines !== undefined) {
    const lines = body.replace(/^\n/, '').replace(/\n$/, '').split('\n').length;
    if (lines !== want.lines) problems.push(`the block has ${lines} lines, expected ${want.lines}: the data forged lines`);
  }
  if (want.atEnd && text.slice(end + close.length).trim() !== '') problems.push('text follows the closing tag');
  return problems;
}
