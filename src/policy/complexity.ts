/**
 * Cedar's parser and validator (WebAssembly) recurse, and a stack overflow inside them leaves
 * the module unusable for every later call in the process ("memory access out of bounds").
 * Policy files are operator input, but a hostile or generated one must be refused as a bad
 * file before Cedar ever sees it. Measured on Node 20: ~150 nested parentheses, a 10 000-term
 * sum and 1 000 nested if-then-else already overflow; real policies stay far below these bounds.
 */
export const MAX_NESTING = 64;
/** Most tokens in one policy (up to its `;`): flat `&&` lists are safe, deep expression trees are not. */
export const MAX_POLICY_TOKENS = 2000;

const WORD = /[A-Za-z0-9_]/;
const SPACE = /\s/;

/** A lexical pass (strings and `//` comments skipped): the first bound the text breaks, or undefined. */
export function complexityProblem(text: string, options: { countTokens: boolean }): string | undefined {
  let depth = 0;
  let tokens = 0;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') line++;
    if (SPACE.test(ch)) continue;
    if (ch === '/' && text[i + 1] === '/') {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
      continue;
    }
    tokens++;
    if (ch === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === '\\') i++;
        else if (text[i] === '\n') line++;
      }
    } else if (WORD.test(ch)) {
      while (i + 1 < text.length && WORD.test(text[i + 1]!)) i++;
    } else if (ch === '(' || ch === '[' || ch === '{') {
      if (++depth > MAX_NESTING) return `brackets nest deeper than ${MAX_NESTING} levels (line ${line})`;
    } else if (ch === ')' || ch === ']' || ch === '}') {
      depth = Math.max(0, depth - 1);
    } else if (ch === ';' && depth === 0) {
      tokens = 0;
    }
    if (options.countTokens && tokens > MAX_POLICY_TOKENS) return `a policy is longer than ${MAX_POLICY_TOKENS} tokens (line ${line})`;
  }
  return undefined;
}
