import * as cedar from './cedar.js';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { configError, isDataMcpError } from '../results/errors.js';
import { cedarErrorText, describeCedarError, lineAndColumn } from './cedar-diagnostics.js';
import { complexityProblem } from './complexity.js';
import { ACTIONS } from './types.js';

export const SCHEMA_FILE = 'schema.cedarschema';

export interface LoadedPolicy {
  /** `@id("...")` when present, else `<file>:<index>` (0-based, in file order). */
  id: string;
  file: string;
  line: number;
  /** Character offset of the policy in its file. */
  offset: number;
  effect: 'permit' | 'forbid';
  text: string;
}

export interface LoadedPolicySet {
  schemaText: string;
  policies: LoadedPolicy[];
  /** sha256 over the schema and every policy file (name and text), short hex. */
  version: string;
  warnings: string[];
}

/**
 * Reads `schema.cedarschema` and every `*.cedar` file of a folder (sorted by name), parses them
 * and validates the policies against the schema in strict mode. Any problem is a CONFIG_ERROR
 * naming the file, the policy and the problem: the server must not start on a policy set it
 * cannot fully check.
 */
export async function loadPolicySet(dir: string): Promise<LoadedPolicySet> {
  try {
    return await parseAndValidate(dir);
  } catch (err) {
    if (isDataMcpError(err)) throw err;
    // Cedar's parser and validator recurse: hostile nesting (thousands of parentheses, a long
    // `&&` chain) overflows the stack inside them. That is a bad policy folder, not a crash.
    const why = err instanceof RangeError ? 'nesting or expressions too deep to parse' : 'the Cedar parser failed';
    throw invalid(`${dir} could not be checked: ${why}`);
  }
}

async function parseAndValidate(dir: string): Promise<LoadedPolicySet> {
  const schemaPath = join(dir, SCHEMA_FILE);
  const schemaText = await readText(schemaPath, `the policy folder needs ${SCHEMA_FILE}`);
  assertParsable(schemaPath, schemaText, false);
  const schemaCheck = cedar.checkParseSchema(schemaText);
  if (schemaCheck.type === 'failure') {
    throw invalid(`${schemaPath} does not parse:\n${schemaCheck.errors.map((e) => describeCedarError(e, schemaPath, schemaText)).join('\n')}`);
  }
  checkSchemaDeclaresActions(schemaPath, schemaText);

  const files = (await readdir(dir)).filter((f) => f.endsWith('.cedar')).sort();
  if (files.length === 0) throw invalid(`${dir} has no *.cedar policy files (everything would be denied)`);

  const hash = createHash('sha256').update(schemaText);
  const policies: LoadedPolicy[] = [];
  const fileTexts = new Map<string, string>();
  for (const file of files) {
    const text = await readText(join(dir, file), 'policy files must be readable');
    assertParsable(join(dir, file), text, true);
    fileTexts.set(file, text);
    hash.update(`\0${file}\0${text}`);
    policies.push(...splitPolicies(join(dir, file), file, text));
  }
  assertUniqueIds(policies);

  const answer = cedar.validate({
    schema: schemaText,
    policies: { staticPolicies: Object.fromEntries(policies.map((p) => [p.id, p.text])) },
    validationSettings: { mode: 'strict' },
  });
  if (answer.type === 'failure') throw invalid(`policies do not parse: ${cedarErrorText(answer.errors)}`);
  const byId = new Map(policies.map((p) => [p.id, p]));
  const locate = (policyId: string, err: cedar.DetailedError): string => {
    const p = byId.get(policyId);
    if (!p) return `policy "${policyId}": ${err.message}`;
    const fileText = fileTexts.get(p.file) ?? '';
    return `${describeCedarError(err, join(dir, p.file), fileText, p.offset)} [policy "${p.id}"]`;
  };
  // Cedar repeats one problem once per action the policy applies to; operators need it once.
  const errors = [...new Set(answer.validationErrors.map((v) => locate(v.policyId, v.error)))];
  if (errors.length > 0) throw invalid(`policies fail strict validation against ${schemaPath}:\n${errors.join('\n')}`);
  const warnings = [...new Set(answer.validationWarnings.map((v) => locate(v.policyId, v.error)))];

  return { schemaText, policies, version: hash.digest('hex').slice(0, 16), warnings };
}

function splitPolicies(filePath: string, file: string, text: string): LoadedPolicy[] {
  const parts = cedar.policySetTextToParts(text);
  if (parts.type === 'failure') {
    throw invalid(`${filePath} does not parse:\n${parts.errors.map((e) => describeCedarError(e, filePath, text)).join('\n')}`);
  }
  if (parts.policy_templates.length > 0) throw invalid(`${filePath} contains policy templates (?principal/?resource), which data-mcp does not link`);
  // Cedar returns the parts sorted by its internal ids, not in file order; each part is the
  // exact source text, so its offset in the file restores the order (and gives a line number).
  const used = new Set<number>();
  const located = parts.policies.map((policyText) => {
    let offset = text.indexOf(policyText);
    while (used.has(offset)) offset = text.indexOf(policyText, offset + 1);
    used.add(offset);
    return { policyText, offset };
  });
  located.sort((a, b) => a.offset - b.offset);
  return located.map(({ policyText, offset }, index) => {
    const json = cedar.policyToJson(policyText);
    if (json.type === 'failure') throw invalid(`${filePath}: ${cedarErrorText(json.errors)}`);
    const id = json.json.annotations?.id ?? `${file}:${index}`;
    return { id, file, line: lineAndColumn(text, offset).line, offset, effect: json.json.effect, text: policyText };
  });
}

/** Refuses text deep enough to overflow Cedar's recursive parser (see complexity.ts). */
function assertParsable(path: string, text: string, countTokens: boolean): void {
  const problem = complexityProblem(text, { countTokens });
  if (problem) throw invalid(`${path} is too complex to check safely: ${problem}`);
}

function assertUniqueIds(policies: LoadedPolicy[]): void {
  const seen = new Map<string, LoadedPolicy>();
  for (const p of policies) {
    const first = seen.get(p.id);
    if (first) throw invalid(`duplicate policy id "${p.id}" in ${first.file}:${first.line} and ${p.file}:${p.line}`);
    seen.set(p.id, p);
  }
}

function checkSchemaDeclaresActions(schemaPath: string, schemaText: string): void {
  const json = cedar.schemaToJson(schemaText);
  if (json.type === 'failure') throw invalid(`${schemaPath}: ${cedarErrorText(json.errors)}`);
  const declared = json.json['DataMcp']?.actions ?? {};
  const missing = ACTIONS.filter((a) => !(a in declared));
  if (missing.length > 0) throw invalid(`${schemaPath} does not declare the actions ${missing.join(', ')} in namespace DataMcp`);
}

async function readText(path: string, why: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'read error';
    throw invalid(`cannot read ${path} (${code}); ${why}`);
  }
}

function invalid(message: string) {
  return configError(`Policy load failed: ${message}`, 'Fix the policy folder (see `data-mcp policy test`) and restart the server.');
}

/**
 * Every identifier-like word in the policy code, string literals included (`context["now"]`,
 * `has "now"`), comments excluded. Cedar reads an attribute or context field only by writing
 * its name, so a name not in this set cannot influence any decision; the engine uses it to
 * trim entities and contexts.
 */
export function referencedNames(policies: readonly LoadedPolicy[]): (name: string) => boolean {
  const names = new Set<string>();
  for (const p of policies) {
    const code = stripComments(p.text);
    // An escape (`"n\u{6f}w"`) can spell a name without writing it: then trim nothing.
    if (code.includes('\\')) return () => true;
    for (const word of code.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) names.add(word);
  }
  return (name) => names.has(name);
}

/** Removes `// ...` comments, leaving string literals (which may contain `//`) intact. */
export function stripComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\') out += text[++i] ?? '';
      else if (ch === '"') inString = false;
    } else if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else {
      out += ch;
      if (ch === '"') inString = true;
    }
  }
  return out;
}
