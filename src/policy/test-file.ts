import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { configError } from '../results/errors.js';
import { ACTIONS } from './types.js';

/**
 * The policy test file format (`data-mcp policy test policies/tests/*.yaml`):
 *
 * fixture:                       # the world the cases run in; same shapes as config
 *   env: dev                     # server.env (default "dev"): the default context.env
 *   service_accounts:            # as auth.service_accounts: id, roles, attributes
 *     - { id: ana, roles: [analyst], attributes: { department: finance } }
 *   connectors:                  # as connectors: kind, env, annotations (other keys ignored)
 *     lake: { kind: s3, env: dev, annotations: { "reports/": { classification: restricted } } }
 * cases:
 *   - name: analyst reads her department
 *     principal: ana             # a fixture service account
 *     roles: [analyst]           # optional: token-narrowed roles, a subset of the account's
 *     action: read               # one of the Cedar actions
 *     connector: lake
 *     path: sales/q1.csv         # optional: absent means the connector itself
 *     context: { env: prod, hour: 3, now: "2026-01-15T03:00:00Z", tool: read_data, agent: claude }  # all optional
 *     expect: allow              # allow | deny
 *     determined_by: [analyst-own-department]  # optional: these policies must have decided
 */

const tagValues = z.record(z.string(), z.string());

const serviceAccount = z
  .object({
    id: z.string().min(1),
    roles: z.array(z.string().min(1)),
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  })
  .loose();

const connector = z
  .object({
    kind: z.string().min(1),
    env: z.string().min(1).optional(),
    annotations: z.record(z.string(), tagValues).default({}),
  })
  .loose();

const testCase = z
  .object({
    name: z.string().min(1),
    principal: z.string().min(1),
    roles: z.array(z.string().min(1)).optional(),
    action: z.enum(ACTIONS),
    connector: z.string().min(1),
    path: z.string().optional(),
    context: z
      .object({
        env: z.string().min(1).optional(),
        hour: z.number().int().min(0).max(23).optional(),
        now: z.iso.datetime({ offset: true }).optional(),
        tool: z.string().optional(),
        agent: z.string().optional(),
      })
      .strict()
      .default({}),
    expect: z.enum(['allow', 'deny']),
    determined_by: z.array(z.string().min(1)).optional(),
  })
  .strict();

const testFile = z
  .object({
    fixture: z
      .object({
        env: z.string().min(1).default('dev'),
        service_accounts: z.array(serviceAccount).min(1),
        connectors: z.record(z.string(), connector),
      })
      .strict(),
    cases: z.array(z.unknown()).min(1),
  })
  .strict();

export type PolicyTestCase = z.infer<typeof testCase>;
export type PolicyTestFixture = z.infer<typeof testFile>['fixture'];
export interface PolicyTestFile {
  file: string;
  fixture: PolicyTestFixture;
  cases: PolicyTestCase[];
}

/** Parses and checks one test file; every problem names the file and, when it is one, the case. */
export function parsePolicyTestFile(file: string, text: string): PolicyTestFile {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw malformed(file, `is not valid YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = testFile.safeParse(raw);
  if (!parsed.success) throw malformed(file, describe(parsed.error));
  const { fixture } = parsed.data;
  const accounts = new Map(fixture.service_accounts.map((sa) => [sa.id, sa]));
  const cases = parsed.data.cases.map((rawCase, index) => {
    const label = caseLabel(index, rawCase);
    const result = testCase.safeParse(rawCase);
    if (!result.success) throw malformed(file, `${label}: ${describe(result.error)}`);
    const c = result.data;
    const sa = accounts.get(c.principal);
    if (!sa) throw malformed(file, `${label}: principal "${c.principal}" is not a fixture service account`);
    const widened = (c.roles ?? []).filter((r) => !sa.roles.includes(r));
    if (widened.length > 0) throw malformed(file, `${label}: roles ${widened.join(', ')} are not roles of "${sa.id}" (a token can only narrow)`);
    if (!(c.connector in fixture.connectors)) throw malformed(file, `${label}: connector "${c.connector}" is not in the fixture`);
    if (c.context.now && c.context.hour !== undefined && new Date(c.context.now).getUTCHours() !== c.context.hour) {
      throw malformed(file, `${label}: context.hour ${c.context.hour} disagrees with context.now ${c.context.now} (UTC)`);
    }
    return c;
  });
  return { file, fixture, cases };
}

function caseLabel(index: number, rawCase: unknown): string {
  const name = typeof rawCase === 'object' && rawCase !== null && 'name' in rawCase ? String(rawCase.name) : '';
  return `case #${index + 1}${name ? ` "${name}"` : ''}`;
}

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(top level)'}: ${i.message}`).join('; ');
}

function malformed(file: string, problem: string) {
  return configError(`Policy test file ${file} ${problem.startsWith('is ') ? problem : `is malformed: ${problem}`}`, 'Fix the test file; its format is described at the top of each file in policies/tests/.');
}
