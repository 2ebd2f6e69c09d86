/**
 * A parser for PostgreSQL's text form of arrays (`{1,2,NULL}`, `{"a b","c\"d"}`, `{{1,2},{3,4}}`),
 * so array columns reach agents as JSON text. Elements stay strings here; the caller converts
 * them by element type. Written here rather than borrowed from pg's transitive dependencies,
 * which the project does not pin.
 */
export type PgArrayValue = string | null | PgArrayValue[];

export function parsePgArray(text: string): PgArrayValue[] {
  // A dimension decoration such as `[0:2]={1,2,3}` precedes non-default bounds; the values are what matter.
  const start = text.startsWith('[') ? text.indexOf('=') + 1 : 0;
  const parser = new ArrayParser(text, start);
  const values = parser.parseArray();
  parser.expectEnd();
  return values;
}

class ArrayParser {
  constructor(
    private readonly text: string,
    private pos: number,
  ) {}

  parseArray(): PgArrayValue[] {
    this.expect('{');
    const out: PgArrayValue[] = [];
    if (this.peek() === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.parseElement());
      const c = this.text[this.pos++];
      if (c === '}') return out;
      // Every built-in type uses ',' as the delimiter except box (';'), which stays text anyway.
      if (c !== ',' && c !== ';') throw new SyntaxError(`unexpected "${c ?? 'end'}" in array literal`);
    }
  }

  private parseElement(): PgArrayValue {
    const c = this.peek();
    if (c === '{') return this.parseArray();
    if (c === '"') return this.parseQuoted();
    let end = this.pos;
    while (end < this.text.length && !',;}'.includes(this.text[end]!)) end++;
    const raw = this.text.slice(this.pos, end).trim();
    this.pos = end;
    // An unquoted NULL (any case) is a null; a quoted "NULL" is the string.
    return raw.toUpperCase() === 'NULL' ? null : raw;
  }

  private parseQuoted(): string {
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.text[this.pos++];
      if (c === undefined) throw new SyntaxError('unterminated quoted array element');
      if (c === '"') return out;
      if (c === '\\') {
        const next = this.text[this.pos++];
        if (next === undefined) throw new SyntaxError('dangling escape in array literal');
        out += next;
      } else out += c;
    }
  }

  expectEnd(): void {
    if (this.pos !== this.text.length) throw new SyntaxError('unexpected text after array literal');
  }

  private peek(): string | undefined {
    return this.text[this.pos];
  }

  private expect(char: string): void {
    if (this.text[this.pos] !== char) throw new SyntaxError(`expected "${char}" in array literal`);
    this.pos++;
  }
}
