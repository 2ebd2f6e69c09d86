import type { ErrorCode } from '../../../../src/results/errors.js';
import { allow, refuse, type AdversarialCase } from './case.js';

/**
 * Object keys and paths. The local root (see path.test.ts) holds `public/`, `restricted/`
 * (annotated `restricted`), `restricted2/`, hidden names, and symlinks that lead out of the
 * root; a sibling folder `outside/` holds loot that must never be read or overwritten. The
 * s3 connector serves bucket `lake` with the same public/restricted layout.
 */
export type PathTool = 'read_data' | 'describe' | 'browse' | 'write_data';
export type PathConnector = 'local' | 's3';

export interface PathInput {
  connector: PathConnector;
  tool: PathTool;
  /** The path as the agent sends it (for s3 the bucket is prefixed by the test). */
  path: string;
}

const TOOLS: readonly PathTool[] = ['read_data', 'describe', 'browse', 'write_data'];

/** Attacks refused as INVALID_ARGUMENT by every tool on every connector, before any I/O. */
const MALFORMED: Array<[name: string, path: string, why: string]> = [
  ['dotdot', '..', 'bare parent segment'],
  ['dotdot-outside', '../outside/loot.csv', 'leave the root for a sibling folder'],
  ['dotdot-after-grant', 'public/../../outside/loot.csv', 'start inside a granted prefix, then climb out'],
  ['dotdot-into-restricted', 'public/../restricted/secret.csv', 'a policy on public/ must not cover restricted/'],
  ['dot-leading', './public/orders.csv', 'a second spelling of the same object'],
  ['dot-inner', 'public/./orders.csv', 'a second spelling of the same object'],
  ['double-slash', 'public//orders.csv', 'an empty segment'],
  ['absolute', '/etc/passwd', 'an absolute host path'],
  ['absolute-double', '//etc/passwd', 'a UNC-like absolute path'],
  ['pct-dotdot', '%2e%2e/outside/loot.csv', 'percent-encoded traversal'],
  ['pct-dotdot-inner', 'public/%2e%2e/restricted/secret.csv', 'percent-encoded traversal inside a grant'],
  ['pct-upper', '%2E%2E%2Frestricted%2Fsecret.csv', 'upper-case percent-encoding'],
  ['pct-slash', 'public%2forders.csv', 'an encoded separator'],
  ['backslash-traversal', 'public\\..\\restricted\\secret.csv', 'Windows separators'],
  ['backslash-outside', '..\\outside\\loot.csv', 'Windows separators out of the root'],
  ['nul-suffix', 'public/orders.csv\u0000.txt', 'NUL truncates in C APIs'],
  ['nul-only', '\u0000', 'a lone NUL'],
  ['bidi-override', 'public/\u202eorders.csv', 'right-to-left override makes names lie'],
  ['bidi-isolate', 'public/\u2066orders.csv\u2069', 'bidi isolates'],
  ['zero-width', 'public/orders\u200b.csv', 'an invisible character'],
  ['bom', '\ufeffpublic/orders.csv', 'a byte-order mark'],
  ['newline', 'public/orders.csv\n', 'a line break (log and listing forgery)'],
  ['c1-control', 'public/orders\u0085.csv', 'a C1 control character'],
  ['escape-sequence', 'public/\u001b[2Jorders.csv', 'a terminal escape sequence'],
  ['not-nfc', 'public/cafe\u0301.csv', 'two Unicode spellings of one name'],
  ['lone-surrogate', 'public/\ud800.csv', 'not valid UTF-8'],
  ['over-long-bytes', `public/${'é'.repeat(600)}.csv`, 'over 1024 UTF-8 bytes in under 1024 characters'],
  ['over-long-segments', `${'a/'.repeat(70)}x.csv`, 'more than 64 segments'],
  ['over-long-chars', `public/${'x'.repeat(1100)}.csv`, 'over the argument length limit'],
];

const malformed: Array<AdversarialCase<PathInput>> = MALFORMED.flatMap(([name, path, why]) =>
  (['local', 's3'] as const).flatMap((connector) =>
    TOOLS.map((tool) => ({
      id: `path/${connector}/${tool}/${name}`,
      category: 'path' as const,
      // browse takes prefixes: the attack is sent as a folder so it reaches the prefix code.
      input: { connector, tool, path: tool === 'browse' && !path.endsWith('/') ? `${path}/` : path },
      expect: refuse('INVALID_ARGUMENT'),
      why,
    })),
  ),
);

type Row = [name: string, connector: PathConnector, tool: PathTool, path: string, expect: ErrorCode | 'allowed', why: string];

/** Per-tool traps: shape mismatches, symlinks, hidden names, look-alikes, prefix boundaries, globs. */
const SPECIFIC: Row[] = [
  ['empty', 'local', 'read_data', '', 'INVALID_ARGUMENT', 'an empty path names nothing'],
  ['empty', 'local', 'describe', '', 'INVALID_ARGUMENT', 'an empty path names nothing'],
  ['empty', 'local', 'write_data', '', 'INVALID_ARGUMENT', 'an empty path names nothing'],
  ['empty-is-root', 'local', 'browse', '', 'allowed', 'the empty path is the root, and the listing hides hidden names and escapes'],
  ['trailing-slash', 'local', 'read_data', 'public/orders.csv/', 'INVALID_ARGUMENT', 'an object spelled as a prefix'],
  ['trailing-slash', 'local', 'describe', 'public/orders.csv/', 'INVALID_ARGUMENT', 'an object spelled as a prefix'],
  ['trailing-slash', 'local', 'browse', 'public/orders.csv/', 'INVALID_ARGUMENT', 'a file listed as a folder'],
  ['trailing-slash', 'local', 'write_data', 'public/new.csv/', 'INVALID_ARGUMENT', 'a write to a prefix'],
  ['trailing-slash', 's3', 'read_data', 'public/orders.csv/', 'INVALID_ARGUMENT', 'an object spelled as a prefix'],
  ['trailing-slash', 's3', 'write_data', 'public/new.csv/', 'INVALID_ARGUMENT', 'a write to a prefix'],
  ['folder-as-object', 'local', 'read_data', 'public', 'INVALID_ARGUMENT', 'a folder read as a file'],
  ['drive-letter', 'local', 'read_data', 'C:/Windows/win.ini', 'INVALID_ARGUMENT', 'a Windows drive path'],
  ['drive-letter', 'local', 'write_data', 'C:/Windows/evil.csv', 'INVALID_ARGUMENT', 'a Windows drive path'],
  ['symlink-escape', 'local', 'read_data', 'public/escape/loot.csv', 'INVALID_ARGUMENT', 'a link to a folder outside the root'],
  ['symlink-escape', 'local', 'describe', 'public/escape/loot.csv', 'INVALID_ARGUMENT', 'a link to a folder outside the root'],
  ['symlink-escape', 'local', 'browse', 'public/escape/', 'INVALID_ARGUMENT', 'a link to a folder outside the root'],
  ['symlink-escape', 'local', 'write_data', 'public/escape/planted.csv', 'INVALID_ARGUMENT', 'plant a file outside the root through a link'],
  ['symlink-overwrite-outside', 'local', 'write_data', 'public/escape/loot.csv', 'INVALID_ARGUMENT', 'overwrite a file outside the root through a link'],
  ['symlink-file', 'local', 'read_data', 'public/passwd.csv', 'INVALID_ARGUMENT', 'a file link to /etc/passwd'],
  ['symlink-file', 'local', 'describe', 'public/passwd.csv', 'INVALID_ARGUMENT', 'a file link to /etc/passwd'],
  ['symlink-etc', 'local', 'browse', 'public/etc-link/', 'INVALID_ARGUMENT', 'a folder link to /etc'],
  ['symlink-etc-write', 'local', 'write_data', 'public/etc-link/evil.csv', 'INVALID_ARGUMENT', 'write into /etc through a link'],
  ['symlink-loop', 'local', 'read_data', 'public/loop', 'INVALID_ARGUMENT', 'a symlink loop'],
  ['symlink-to-restricted', 'local', 'read_data', 'public/to-restricted/secret.csv', 'POLICY_DENIED', 'a folder link inside the root lends no grant to where it leads'],
  ['symlink-to-restricted', 'local', 'describe', 'public/to-restricted/secret.csv', 'POLICY_DENIED', 'a folder link inside the root lends no grant to where it leads'],
  ['symlink-to-restricted', 'local', 'browse', 'public/to-restricted/', 'POLICY_DENIED', 'listing a restricted folder through a link'],
  ['symlink-file-to-restricted', 'local', 'read_data', 'public/secret-link.csv', 'POLICY_DENIED', 'a file link to a restricted object'],
  ['symlink-file-to-restricted', 'local', 'describe', 'public/secret-link.csv', 'POLICY_DENIED', 'a file link to a restricted object'],
  ['glob-through-inner-link', 'local', 'read_data', 'public/to-restricted/*.csv', 'POLICY_DENIED', 'a glob through a link to a restricted folder'],
  ['symlink-to-allowed', 'local', 'read_data', 'public/to-open/open.csv', 'allowed', 'a link to a folder the caller may read still works'],
  ['hidden-file', 'local', 'read_data', '.secrets.csv', 'NOT_FOUND', 'dotfiles are not exposed'],
  ['hidden-file', 'local', 'describe', '.secrets.csv', 'NOT_FOUND', 'dotfiles are not exposed'],
  ['hidden-env', 'local', 'read_data', '.env', 'INVALID_ARGUMENT', 'a dotfile without a format is refused before any byte is read'],
  ['hidden-git', 'local', 'read_data', '.git/config', 'INVALID_ARGUMENT', 'repository metadata is never a data source'],
  ['hidden-write', 'local', 'write_data', '.planted.csv', 'INVALID_ARGUMENT', 'no write creates a hidden name'],
  ['hidden-in-folder', 'local', 'read_data', 'public/.hidden.csv', 'NOT_FOUND', 'dotfiles are not exposed'],
  ['hidden-folder', 'local', 'browse', '.git/', 'NOT_FOUND', 'dot-folders are not exposed'],
  ['restricted', 'local', 'read_data', 'restricted/secret.csv', 'POLICY_DENIED', 'the restricted annotation holds'],
  ['restricted', 'local', 'describe', 'restricted/secret.csv', 'POLICY_DENIED', 'schemas of restricted data are restricted too'],
  ['restricted', 'local', 'browse', 'restricted/', 'POLICY_DENIED', 'listing restricted data'],
  ['restricted-trailing-space', 'local', 'read_data', 'restricted/secret.csv ', 'POLICY_DENIED', 'still inside restricted/'],
  ['restricted-no-slash', 'local', 'read_data', 'restricted/', 'POLICY_DENIED', 'the prefix itself is not readable as a file'],
  ['restricted', 's3', 'read_data', 'restricted/secret.csv', 'POLICY_DENIED', 'the restricted annotation holds on s3'],
  ['restricted', 's3', 'browse', 'restricted/', 'POLICY_DENIED', 'listing restricted data on s3'],
  ['restricted-glob', 'local', 'read_data', 'restricted/*.csv', 'POLICY_DENIED', 'a glob under a restricted prefix'],
  ['glob-reaches-restricted', 'local', 'read_data', '*/secret.csv', 'POLICY_DENIED', 'a glob from the root matches a restricted object'],
  ['glob-everything', 'local', 'read_data', '**/*.csv', 'POLICY_DENIED', 'a recursive glob includes restricted objects'],
  ['glob-braces', 'local', 'read_data', '{public,restricted}/*.csv', 'POLICY_DENIED', 'alternation reaches the restricted prefix'],
  ['glob-traversal', 'local', 'read_data', 'public/../*/secret.csv', 'INVALID_ARGUMENT', 'traversal inside a glob'],
  ['glob-through-link', 'local', 'read_data', 'public/escape/*.csv', 'INVALID_ARGUMENT', 'a glob through a link out of the root'],
  ['glob-reaches-restricted', 's3', 'read_data', '*/secret.csv', 'POLICY_DENIED', 'a glob matches a restricted object on s3'],
  ['glob-in-write', 'local', 'write_data', 'public/*.csv', 'INVALID_ARGUMENT', 'a write names exactly one object'],
  ['overwrite', 'local', 'write_data', 'public/orders.csv', 'INVALID_ARGUMENT', 'create-only: an existing object is never replaced'],
  ['overwrite', 's3', 'write_data', 'public/orders.csv', 'INVALID_ARGUMENT', 'create-only on s3 (If-None-Match)'],
  ['unknown-bucket', 's3', 'read_data', '!other-bucket/orders.csv', 'NOT_FOUND', 'only configured buckets are reachable'],
  ['unknown-bucket', 's3', 'write_data', '!other-bucket/new.csv', 'NOT_FOUND', 'no write to an unconfigured bucket'],
  ['lookalike-cyrillic-o', 'local', 'read_data', 'public/\u043erders.csv', 'NOT_FOUND', 'Cyrillic о is another name, not orders.csv'],
  ['lookalike-cyrillic-i', 'local', 'read_data', 'publ\u0456c/orders.csv', 'NOT_FOUND', 'Cyrillic і is another folder'],
  ['lookalike-fullwidth-dots', 'local', 'read_data', '\uff0e\uff0e/outside/loot.csv', 'NOT_FOUND', 'fullwidth dots are a name, not traversal'],
  ['lookalike-fullwidth-solidus', 'local', 'read_data', 'public\uff0f..\uff0f..\uff0foutside\uff0floot.csv', 'NOT_FOUND', 'a fullwidth solidus is not a separator'],
  ['lookalike-division-slash', 'local', 'read_data', '..\u2215outside\u2215loot.csv', 'NOT_FOUND', 'a division slash is not a separator'],
  ['lookalike-case', 'local', 'read_data', 'RESTRICTED/secret.csv', 'NOT_FOUND', 'case does not alias on this filesystem'],
  ['lookalike-cyrillic', 's3', 'read_data', 'public/\u043erders.csv', 'NOT_FOUND', 'Cyrillic о is another key'],
  ['prefix-boundary', 'local', 'read_data', 'restricted2/open.csv', 'allowed', 'restricted/ must not swallow restricted2/'],
  ['prefix-boundary', 's3', 'read_data', 'restricted2/open.csv', 'allowed', 'restricted/ must not swallow restricted2/'],
  ['space-in-name', 'local', 'read_data', 'public/with space.csv', 'allowed', 'an ordinary odd name still works'],
];

const specific: Array<AdversarialCase<PathInput>> = SPECIFIC.map(([name, connector, tool, path, expect, why]) => ({
  id: `path/${connector}/${tool}/${name}`,
  category: 'path' as const,
  input: { connector, tool, path },
  expect: expect === 'allowed' ? allow('the object inside the grant, nothing else') : refuse(expect),
  why,
}));

export const PATH_CASES: Array<AdversarialCase<PathInput>> = [...malformed, ...specific];
