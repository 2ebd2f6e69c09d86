import { describe, expect, it } from 'vitest';
import { DRAIN_LIMIT_BYTES, readBodyPrefix, type ResponseBody } from '../../../src/connectors/s3/body.js';
import { parseContentRange } from '../../../src/connectors/s3/open.js';

/** A body of the given chunks that records how far it was read and whether it was destroyed. */
function fakeBody(chunks: Array<Uint8Array | Error>) {
  const state = { pulled: 0, ended: false, destroyed: false };
  const body: ResponseBody = {
    async *[Symbol.asyncIterator]() {
      for (const chunk of chunks) {
        state.pulled += 1;
        if (chunk instanceof Error) throw chunk;
        yield chunk;
      }
      state.ended = true;
    },
    destroy: () => {
      state.destroyed = true;
    },
  };
  return { body, state };
}

const bytes = (n: number, fill = 1) => new Uint8Array(n).fill(fill);
const short = () => new Error('short');

describe('readBodyPrefix', () => {
  it('returns the wanted bytes across chunk boundaries', async () => {
    const { body } = fakeBody([Uint8Array.of(1, 2), Uint8Array.of(3, 4, 5), Uint8Array.of(6)]);
    expect(await readBodyPrefix(body, 4, 6, short)).toEqual(Uint8Array.of(1, 2, 3, 4));
  });

  it('reads a small remainder to the end (the connection stays reusable) instead of destroying the body', async () => {
    const { body, state } = fakeBody([bytes(10), bytes(100), bytes(DRAIN_LIMIT_BYTES - 100)]);
    expect(await readBodyPrefix(body, 5, 10 + DRAIN_LIMIT_BYTES, short)).toEqual(bytes(5));
    expect(state).toEqual({ pulled: 3, ended: true, destroyed: false });
  });

  it('an exact body ends without being destroyed', async () => {
    const { body, state } = fakeBody([bytes(8)]);
    await readBodyPrefix(body, 8, 8, short);
    expect(state).toEqual({ pulled: 1, ended: true, destroyed: false });
  });

  it('destroys a body whose remainder is large, without reading it', async () => {
    const { body, state } = fakeBody([bytes(10), bytes(1_000_000), bytes(1_000_000)]);
    expect(await readBodyPrefix(body, 10, 2_000_010, short)).toEqual(bytes(10));
    expect(state).toEqual({ pulled: 1, ended: false, destroyed: true });
  });

  it('destroys a body of unknown length once the wanted bytes are in', async () => {
    const { body, state } = fakeBody([bytes(10), bytes(10)]);
    await readBodyPrefix(body, 10, undefined, short);
    expect(state).toMatchObject({ pulled: 1, destroyed: true });
  });

  it('stops draining when a Content-Length lied and far more keeps coming', async () => {
    const { body, state } = fakeBody([bytes(10), bytes(DRAIN_LIMIT_BYTES), bytes(DRAIN_LIMIT_BYTES), bytes(DRAIN_LIMIT_BYTES)]);
    await readBodyPrefix(body, 10, 20, short);
    expect(state).toEqual({ pulled: 3, ended: false, destroyed: true });
  });

  it('a body shorter than wanted, or none, is the caller’s error', async () => {
    await expect(readBodyPrefix(fakeBody([bytes(3)]).body, 4, 4, short)).rejects.toThrow('short');
    await expect(readBodyPrefix(fakeBody([]).body, 1, 1, short)).rejects.toThrow('short');
    await expect(readBodyPrefix(undefined, 1, 1, short)).rejects.toThrow('short');
  });

  it('a body that fails midway passes the failure on and is destroyed', async () => {
    const { body, state } = fakeBody([bytes(3), new Error('socket hang up')]);
    await expect(readBodyPrefix(body, 10, 10, short)).rejects.toThrow('socket hang up');
    expect(state.destroyed).toBe(true);
  });
});

describe('parseContentRange', () => {
  it('reads a satisfiable range of a known size', () => {
    expect(parseContentRange('bytes 0-9/10')).toEqual({ first: 0, last: 9, total: 10 });
    expect(parseContentRange(' bytes 190000-199999/200000 ')).toEqual({ first: 190_000, last: 199_999, total: 200_000 });
  });

  it.each([undefined, '', 'bytes 0-0/0', 'bytes 9-2/50', 'bytes 0-10/10', 'bytes 0-9/*', 'bytes */10', 'bytes=0-9/10', 'items 0-9/10', 'bytes -1-9/10', 'bytes 0-9/99999999999999999999', 'bytes 0x0-9/10', 'bytes ０-9/10'])('refuses %j', (header) => {
    expect(parseContentRange(header)).toBeUndefined();
  });
});
