import type { Logger } from '../logging/logger.js';
import { scrubText } from '../results/scrub.js';

/**
 * Up/down state of a remote cache with "log once" semantics: the first failure of an outage is
 * a warning, the recovery is one info line, and everything in between is silent. A reconnect
 * loop fails every ~100 ms while Redis is away; logging each would bury the real log.
 */
export class Availability {
  private up = false;
  /** True from the warning of an outage until its recovery line. */
  private outageLogged = false;

  constructor(
    private readonly name: string,
    private readonly logger: Logger | undefined,
    private readonly onChange?: (available: boolean) => void,
  ) {}

  isUp(): boolean {
    return this.up;
  }

  /** Record a failure. Returns true when this call started a new outage. */
  markDown(reason: unknown): boolean {
    const wasUp = this.up;
    this.up = false;
    if (!this.outageLogged) {
      this.outageLogged = true;
      this.logger?.warn(
        { cache: this.name, reason: describe(reason) },
        'cache unavailable: calls bypass the cache until it returns',
      );
    }
    if (wasUp) this.onChange?.(false);
    return wasUp;
  }

  /** Record a working connection. Returns true when this call ended an outage (or was the first). */
  markUp(): boolean {
    if (this.up) return false;
    this.up = true;
    if (this.outageLogged) {
      this.outageLogged = false;
      this.logger?.info({ cache: this.name }, 'cache available again');
    }
    this.onChange?.(true);
    return true;
  }
}

/** A short, secret-free reason: error code or name plus message, never a stack. */
export function describe(reason: unknown): string {
  if (reason instanceof Error) {
    const code = (reason as { code?: unknown }).code;
    const label = typeof code === 'string' ? code : reason.name;
    return scrubText(`${label}: ${reason.message}`).slice(0, 300);
  }
  return scrubText(String(reason)).slice(0, 300);
}
