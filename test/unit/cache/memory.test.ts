import { describe, expect, it } from 'vitest';
import { MemoryCache } from '../../../src/cache/memory.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (value: Uint8Array | undefined) => new TextDecoder().decode(value);

/** A clock the test moves by hand, so TTL is tested without sleeping. */
function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

describe('MemoryCache', () => {
  it('is the memory backend and never bypasses', () => {
    const cache = new MemoryCache({ maxEntries: 10, maxBytes: 1024 });
    expect(cache.backend).toBe('memory');
    expect(cache.isBypassing()).toBe(false);
  });

  it('misses, then hits with the stored bytes and their age', async () => {
    const clock = manualClock();
    const cache = new MemoryCache({ maxEntries: 10, maxBytes: 1024, now: clock.now });
    expect(await cache.get('k')).toEqual({ status: 'miss' });
    await cache.set('k', bytes('value'), 60);
    clock.advance(1234);
    const got = await cache.get('k');
    expect(got.status).toBe('hit');
    expect(text(got.value)).toBe('value');
    expect(got.ageMs).toBe(1234);
  });

  it('expires an entry after its own TTL, not before', async () => {
    const clock = manualClock();
    const cache = new MemoryCache({ maxEntries: 10, maxBytes: 1024, now: clock.now });
    await cache.set('short', bytes('s'), 1);
    await cache.set('long', bytes('l'), 60);
    clock.advance(999);
    expect((await cache.get('short')).status).toBe('hit');
    clock.advance(2);
    expect((await cache.get('short')).status).toBe('miss');
    expect((await cache.get('long')).status).toBe('hit');
    clock.advance(59_000);
    expect((await cache.get('long')).status).toBe('miss');
  });

  it('does not store with a TTL of zero, negative or NaN', async () => {
    const cache = new MemoryCache({ maxEntries: 10, maxBytes: 1024 });
    await cache.set('zero', bytes('z'), 0);
    await cache.set('neg', bytes('n'), -5);
    await cache.set('nan', bytes('n'), Number.NaN);
    expect(cache.size).toBe(0);
  });

  it('evicts the least recently used entries when the byte budget is exceeded', async () => {
    // Each 400-byte value costs a little more than 400 bytes with its bookkeeping; two fit in 1000.
    const cache = new MemoryCache({ maxEntries: 100, maxBytes: 1000 });
    await cache.set('a', new Uint8Array(400), 60);
    await cache.set('b', new Uint8Array(400), 60);
    expect((await cache.get('a')).status).toBe('hit'); // a is now the most recently used
    await cache.set('c', new Uint8Array(400), 60);
    expect((await cache.get('b')).status).toBe('miss');
    expect((await cache.get('a')).status).toBe('hit');
    expect((await cache.get('c')).status).toBe('hit');
  });

  it('evicts by entry count', async () => {
    const cache = new MemoryCache({ maxEntries: 2, maxBytes: 1_000_000 });
    await cache.set('a', bytes('1'), 60);
    await cache.set('b', bytes('2'), 60);
    await cache.set('c', bytes('3'), 60);
    expect(cache.size).toBe(2);
    expect((await cache.get('a')).status).toBe('miss');
  });

  it('skips a value larger than the whole budget without evicting everything else', async () => {
    const cache = new MemoryCache({ maxEntries: 10, maxBytes: 1000 });
    await cache.set('small', bytes('s'), 60);
    await cache.set('huge', new Uint8Array(5000), 60);
    expect((await cache.get('huge')).status).toBe('miss');
    expect((await cache.get('small')).status).toBe('hit');
  });

  it('is isolated from callers mutating their buffers', async () => {
    const cache = new MemoryCache({ maxEntries: 10, maxBytes: 1024 });
    const original = bytes('abc');
    await cache.set('k', original, 60);
    original[0] = 0x7a;
    const first = await cache.get('k');
    first.value![1] = 0x7a;
    expect(text((await cache.get('k')).value)).toBe('abc');
  });

  it('deletes and clears', async () => {
    const cache = new MemoryCache({ maxEntries: 10, maxBytes: 1024 });
    await cache.set('a', bytes('1'), 60);
    await cache.set('b', bytes('2'), 60);
    await cache.delete('a');
    expect((await cache.get('a')).status).toBe('miss');
    cache.clear();
    expect((await cache.get('b')).status).toBe('miss');
    await cache.delete('never-there');
  });

  it('stores nothing when a limit is 0 (disabled)', async () => {
    for (const limits of [{ maxEntries: 0, maxBytes: 1024 }, { maxEntries: 10, maxBytes: 0 }]) {
      const cache = new MemoryCache(limits);
      await cache.set('k', bytes('v'), 60);
      expect(await cache.get('k')).toEqual({ status: 'miss' });
    }
  });

  it('keeps empty values and odd keys apart', async () => {
    const cache = new MemoryCache({ maxEntries: 10, maxBytes: 1024 });
    await cache.set('', new Uint8Array(0), 60);
    await cache.set('__proto__', bytes('p'), 60);
    const empty = await cache.get('');
    expect(empty.status).toBe('hit');
    expect(empty.value?.byteLength).toBe(0);
    expect(text((await cache.get('__proto__')).value)).toBe('p');
  });
});
