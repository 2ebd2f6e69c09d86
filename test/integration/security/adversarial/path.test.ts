import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../../helpers/harness.js';
import { startFaultProxy, type FaultProxy } from '../../../helpers/s3-fault-proxy.js';
import { s3rverConnectorConfig, startS3rver, type S3rverHandle } from '../../../helpers/s3rver.js';
import { assertUniqueIds, rows } from './case.js';
import { treeFingerprint } from './fs-snapshot.js';
import { PATH_CASES, type PathInput } from './path-cases.js';
import { attack, recordCase } from './verdict.js';

/**
 * Object keys and paths of the adversarial corpus, through read_data, describe, browse and
 * write_data on a local folder and on s3 (s3rver). Every case also checks the effects: no byte
 * changed anywhere under the temp base (root, its sibling `outside/`, the s3rver store), and no
 * value from outside the grant (loot, restricted, dotfiles, /etc/passwd) came back.
 */
const BUCKET = 'lake';
const MARKERS = {
  loot: 'loot-canary-5d1e',
  secret: 'restricted-canary-0b77',
  env: 'dotenv-canary-c3a9',
  passwd: 'root:x:0:0',
};
const OPEN_MARKER = 'open-canary-44f0';

let base: string;
let s3: S3rverHandle;
/** Real S3 answers a create-only PUT on an existing key with 412; s3rver ignores If-None-Match, the proxy does not. */
let proxy: FaultProxy;
let h: Harness;

function csv(marker: string): string {
  return `id,note\n1,${marker}\n`;
}

function buildRoot(): string {
  base = mkdtempSync(join(tmpdir(), 'data-mcp-adv-path-'));
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  for (const dir of [outside, join(root, 'public'), join(root, 'restricted'), join(root, 'restricted2'), join(root, '.git')]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(outside, 'loot.csv'), csv(MARKERS.loot));
  writeFileSync(join(root, 'public', 'orders.csv'), csv('public-row'));
  writeFileSync(join(root, 'public', 'with space.csv'), csv('spaced-row'));
  writeFileSync(join(root, 'public', '.hidden.csv'), csv(MARKERS.env));
  writeFileSync(join(root, '.env'), `TOKEN=${MARKERS.env}\n`);
  writeFileSync(join(root, '.secrets.csv'), csv(MARKERS.env));
  writeFileSync(join(root, '.git', 'config'), `[core]\n# ${MARKERS.env}\n`);
  writeFileSync(join(root, 'restricted', 'secret.csv'), csv(MARKERS.secret));
  writeFileSync(join(root, 'restricted2', 'open.csv'), csv(OPEN_MARKER));
  symlinkSync(outside, join(root, 'public', 'escape'));
  symlinkSync('/etc/passwd', join(root, 'public', 'passwd.csv'));
  symlinkSync('/etc', join(root, 'public', 'etc-link'));
  symlinkSync(join(root, 'public', 'loop'), join(root, 'public', 'loop'));
  // Links that stay inside the root: policy must allow where they lead, not only their own path.
  symlinkSync(join(root, 'restricted'), join(root, 'public', 'to-restricted'));
  symlinkSync(join(root, 'restricted', 'secret.csv'), join(root, 'public', 'secret-link.csv'));
  symlinkSync(join(root, 'restricted2'), join(root, 'public', 'to-open'));
  return root;
}

function argsFor(input: PathInput): Record<string, unknown> {
  const path = input.connector === 'local' ? input.path : input.path.startsWith('!') ? input.path.slice(1) : `${BUCKET}/${input.path}`;
  const args: Record<string, unknown> = { connector: input.connector, path };
  if (input.tool === 'write_data') args.rows = [{ id: 1, note: 'planted' }];
  return args;
}

beforeAll(async () => {
  const root = buildRoot();
  s3 = await startS3rver({ buckets: [BUCKET, 'other-bucket'] });
  await s3.putObject(BUCKET, 'public/orders.csv', csv('public-row'));
  await s3.putObject(BUCKET, 'restricted/secret.csv', csv(MARKERS.secret));
  await s3.putObject(BUCKET, 'restricted2/open.csv', csv(OPEN_MARKER));
  await s3.putObject('other-bucket', 'orders.csv', csv(MARKERS.loot));
  proxy = await startFaultProxy(s3.port);
  proxy.enforceIfNoneMatch = true;
  h = await startHarness({
    config: {
      server: { env: 'dev', toolsets: ['catalog', 'data'], read_only: false },
      auth: { mode: 'none', default_service_account: 'agent', service_accounts: [{ id: 'agent', roles: ['reader', 'writer'] }] },
      connectors: {
        local: { kind: 'local', root, annotations: { 'restricted/': { classification: 'restricted' } } },
        s3: s3rverConnectorConfig(proxy.endpoint, [BUCKET], { annotations: { [`${BUCKET}/restricted/`]: { classification: 'restricted' } } }),
      },
    },
  });
});

afterAll(async () => {
  await h?.close();
  await proxy?.stop();
  await s3?.stop();
  if (base) rmSync(base, { recursive: true, force: true });
});

describe('adversarial corpus: object keys and paths', () => {
  assertUniqueIds(PATH_CASES);

  it.for(rows(PATH_CASES))('%s', async ([, c], context) => {
    const before = [treeFingerprint(base), treeFingerprint(s3.directory)];
    const { result, verdict } = await attack(h, c, c.input.tool, argsFor(c.input));
    const after = [treeFingerprint(base), treeFingerprint(s3.directory)];
    const problems = [...verdict.problems];
    let bypass = verdict.bypass;
    const effect = (what: string) => {
      bypass = true;
      problems.push(what);
    };
    if (after[0] !== before[0]) effect('a file changed under the temp base (root, outside/ or a link target)');
    if (after[1] !== before[1]) effect('an object changed in the s3rver store');
    const out = JSON.stringify(result);
    for (const [name, marker] of Object.entries(MARKERS)) if (out.includes(marker)) effect(`the ${name} value came back`);
    if (!result.isError) {
      if (c.input.tool === 'read_data' && !out.includes(OPEN_MARKER) && !out.includes('row')) problems.push('an allowed read returned no rows');
      const entries = (result.structuredContent?.entries ?? []) as Array<{ path: string }>;
      const hidden = entries.filter((e) => e.path.split('/').some((s) => s.startsWith('.')));
      if (hidden.length > 0) effect(`the listing shows hidden names: ${hidden.map((e) => e.path).join(', ')}`);
    }
    recordCase(context, c, bypass);
    expect(problems).toEqual([]);
  });
});
