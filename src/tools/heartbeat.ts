import type { ToolContext } from '../gate/context.js';

const INTERVAL_MS = 1000;

/**
 * Long upstream work (a warehouse statement) reports progress while it runs: one
 * notification at the start and one per second after, with elapsed seconds as a monotonic
 * progress value, so a host can show that the call is alive (and offer to cancel it).
 */
export async function withHeartbeat<T>(ctx: ToolContext, what: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  await ctx.progress(0, undefined, `running ${what}`);
  const timer = setInterval(() => {
    const seconds = Math.round((Date.now() - started) / 1000);
    ctx.progress(seconds, undefined, `still running ${what} (${seconds}s)`).catch(() => undefined);
  }, INTERVAL_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
