#!/usr/bin/env node
import { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { createLogger } from './logging/logger.js';
import { isDataMcpError } from './results/errors.js';
import { scrubText } from './results/scrub.js';
import { parseToolsets } from './commands/options.js';
import type { LoadOptions } from './config/load.js';

/**
 * The `data-mcp` command. `serve` (the default) owns stdout for the MCP protocol; the other
 * commands are for people and print their reports to stdout. Errors go to stderr with exit
 * code 2 (bad config/input) or 1 (failure).
 */
const logger = createLogger();
const out = (text: string) => process.stdout.write(`${text}\n`);

interface CommonFlags {
  config?: string;
  toolsets?: string;
  readOnly?: boolean;
}

function loadOptions(flags: CommonFlags): LoadOptions {
  const toolsets = parseToolsets(flags.toolsets);
  return { ...(flags.config ? { path: flags.config } : {}), ...(toolsets ? { toolsets } : {}), ...(flags.readOnly ? { readOnly: true } : {}) };
}

const program = new Command('data-mcp')
  .description('Governed stdio MCP server for enterprise data')
  .showHelpAfterError()
  .configureOutput({ writeOut: (s) => process.stderr.write(s), writeErr: (s) => process.stderr.write(s) });

program
  .command('serve', { isDefault: true })
  .description('serve MCP over stdio (the default command)')
  .option('-c, --config <file>', 'config file (default: DATA_MCP_CONFIG, else the embedded demo)')
  .option('--toolsets <list>', 'comma-separated toolsets to serve (catalog,data,...)')
  .option('--read-only', 'hide every write-class tool')
  .action(async (flags: CommonFlags) => {
    const { runServe } = await import('./commands/serve.js');
    await runServe(loadOptions(flags), logger);
  });

program
  .command('demo')
  .description('spawn the server on its embedded default and walk through a short scripted tour')
  .action(async () => {
    const { runDemo } = await import('./commands/demo.js');
    const { failures } = await runDemo(fileURLToPath(import.meta.url), out);
    if (failures > 0) process.exitCode = 1;
  });

program
  .command('check')
  .description('validate config, keys and policies; print the tools that would be served')
  .option('-c, --config <file>', 'config file')
  .option('--toolsets <list>', 'toolsets to serve')
  .option('--read-only', 'hide write-class tools')
  .action(async (flags: CommonFlags) => {
    const { runCheck } = await import('./commands/check.js');
    (await runCheck(loadOptions(flags))).forEach((line) => out(line));
  });

program
  .command('token')
  .description('service-account tokens')
  .command('issue')
  .description('mint a token for a configured service account (prints it to stdout)')
  .requiredOption('--sa <id>', 'service account id')
  .option('--ttl <duration>', 'lifetime: 90s, 30m, 8h, 2d', '8h')
  .option('--roles <list>', 'narrow the roles (comma-separated)')
  .option('-c, --config <file>', 'config file')
  .action(async (flags: CommonFlags & { sa: string; ttl: string; roles?: string }) => {
    const { runTokenIssue } = await import('./commands/token.js');
    out(await runTokenIssue({ ...loadOptions(flags), sa: flags.sa, ttl: flags.ttl, ...(flags.roles ? { roles: flags.roles } : {}) }));
  });

program
  .command('audit')
  .description('audit log tools')
  .command('verify')
  .description('recompute the hash chain and checkpoint signatures; name the first bad record')
  .option('--path <file>', 'audit log (default: from config)')
  .option('--public-key <file>', 'checkpoint public key PEM (default: <log>.pub)')
  .option('-c, --config <file>', 'config file')
  .action(async (flags: CommonFlags & { path?: string; publicKey?: string }) => {
    const { runAuditVerify } = await import('./commands/audit.js');
    const report = await runAuditVerify({ ...loadOptions(flags), ...(flags.path ? { logPath: flags.path } : {}), ...(flags.publicKey ? { publicKeyFile: flags.publicKey } : {}) });
    out(report.text);
    if (!report.ok) process.exitCode = 1;
  });

program
  .command('policy')
  .description('policy tools')
  .command('test')
  .description('run allow/deny cases from YAML files against the policies')
  .argument('<files...>', 'test files (policies/tests/*.yaml)')
  .option('--policies <dir>', 'policies folder (default: the configured or bundled one)')
  .option('-c, --config <file>', 'config file')
  .action(async (files: string[], flags: CommonFlags & { policies?: string }) => {
    const { runPolicyTest } = await import('./commands/policy.js');
    const report = await runPolicyTest(files, { ...loadOptions(flags), ...(flags.policies ? { policiesDir: flags.policies } : {}) });
    out(report.text);
    if (!report.ok) process.exitCode = 1;
  });

process.on('unhandledRejection', (reason) => logger.error({ err: scrubText(String(reason)) }, 'unhandled rejection'));

program.parseAsync(process.argv).catch((err: unknown) => {
  if (isDataMcpError(err)) {
    process.stderr.write(`data-mcp: ${scrubText(err.message)}\nhint: ${scrubText(err.hint)}\n`);
    process.exit(err.code === 'CONFIG_ERROR' || err.code === 'INVALID_ARGUMENT' ? 2 : 1);
  }
  logger.fatal({ err: scrubText(err instanceof Error ? err.message : String(err)) }, 'data-mcp failed');
  process.exit(1);
});
