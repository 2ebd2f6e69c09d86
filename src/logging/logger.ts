import { pino, type Logger } from 'pino';
import { writeSync } from 'node:fs';
import { scrubText } from '../results/scrub.js';

/**
 * stdout is the MCP protocol, so every log line goes to stderr (fd 2). Writes are synchronous
 * so a crash does not lose the line that explains it, and every serialized line passes the
 * secret scrubber, whatever object was logged.
 */
const scrubbingStderr = {
  write(line: string): void {
    writeSync(2, scrubText(line));
  },
};

export function createLogger(level: string = process.env.DATA_MCP_LOG_LEVEL ?? 'info'): Logger {
  return pino(
    {
      level,
      base: { app: 'data-mcp' },
      formatters: { level: (label) => ({ level: label }) },
    },
    scrubbingStderr,
  );
}

export type { Logger };
