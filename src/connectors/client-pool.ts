/**
 * The client cache every cloud connector keeps: one SDK client per credential source, because a
 * client is bound to its credentials and two service accounts must never share one. The key is
 * the non-secret credential-source key (see `aws-credentials.ts`, `gcp-credentials.ts`).
 *
 * The promise is cached, not the client, so concurrent first calls build one client; a promise
 * that rejects is dropped, so the next call retries instead of replaying the failure forever.
 * Resolving the credential source stays with each connector (some refuse a scope synchronously,
 * some as a rejected promise), so this class only sees keys.
 */
export class ClientPool<Handle> {
  private readonly handles = new Map<string, Promise<Handle>>();

  /** The handle cached under `key`, or the one `create` builds (and caches) on a miss. */
  get(key: string, create: () => Promise<Handle>): Promise<Handle> {
    let handle = this.handles.get(key);
    if (!handle) {
      handle = create();
      this.handles.set(key, handle);
      handle.catch(() => this.handles.delete(key));
    }
    return handle;
  }

  /** Empties the pool once every pending build has settled; returns the handles that were built (to destroy them). */
  async drain(): Promise<Handle[]> {
    const settled = await Promise.allSettled(this.handles.values());
    this.handles.clear();
    return settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  }

  /** Forgets every handle at once: for clients that hold no sockets of their own. */
  clear(): void {
    this.handles.clear();
  }
}
