import { readFileSync } from 'node:fs';
import { formatVerifyReport, verifyAuditLog } from '../audit/verify.js';
import { loadConfig, type LoadOptions } from '../config/load.js';
import { configError } from '../results/errors.js';

/** `data-mcp audit verify`: the log from --path, else from the config (or the default location). */
export async function runAuditVerify(options: LoadOptions & { logPath?: string; publicKeyFile?: string }): Promise<{ ok: boolean; text: string }> {
  const path = options.logPath ?? loadConfig(options).auditPath;
  let publicKeyPem: string | undefined;
  if (options.publicKeyFile) {
    try {
      publicKeyPem = readFileSync(options.publicKeyFile, 'utf8');
    } catch {
      throw configError(`cannot read the public key ${options.publicKeyFile}`, 'Pass the checkpoint public key PEM (default: <log>.pub).');
    }
  }
  const report = await verifyAuditLog({ path, ...(publicKeyPem ? { publicKeyPem } : {}) });
  return { ok: report.ok, text: `${path}\n${formatVerifyReport(report)}` };
}
