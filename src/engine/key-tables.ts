/**
 * Open-addressing hash tables over typed arrays, the engine's replacement for `Map` in hot
 * loops (DESIGN §10): no per-row objects, no strings. Each table hands out dense ids 0, 1, …
 * in insertion order; slots hold `id + 1` so a fresh zeroed `Int32Array` is an empty table.
 * Capacity is a power of two kept at least twice the size (linear probing stays short), and
 * the slot is taken from the high bits of a multiplicative (Fibonacci) hash.
 */

const GOLDEN = 0x9e3779b1;
const MIX = 0x85ebca6b;
const MIN_BITS = 10;

const scratch = new Float64Array(1);
const scratchHalves = new Uint32Array(scratch.buffer);

/**
 * Hash of a number *by value*: integral values (the common case, and ints compared with
 * floats in joins) hash their int32 value, so 3 and 3.0 meet; -0 hashes as 0. Others hash
 * their IEEE bits.
 */
export function hashNumber(v: number): number {
  if ((v | 0) === v) return Math.imul(v, GOLDEN);
  scratch[0] = v;
  return Math.imul(scratchHalves[0]! ^ Math.imul(scratchHalves[1]!, MIX), GOLDEN);
}

function bitsFor(expected: number): number {
  let bits = MIN_BITS;
  while (1 << bits < expected * 2 && bits < 30) bits++;
  return bits;
}

/** Distinct numbers → ids. NaN is one value (as SQL engines group it), -0 equals 0. */
export class NumberTable {
  size = 0;
  values: Float64Array;
  private slots: Int32Array;
  private shift: number;
  private nanId = -1;
  private nullId = -1;

  constructor(expected = 0) {
    const bits = bitsFor(expected);
    this.slots = new Int32Array(1 << bits);
    this.shift = 32 - bits;
    this.values = new Float64Array(Math.max(16, expected));
  }

  /** An id for null (GROUP BY's null group): kept apart from every value, never found by `find`. */
  addNull(): number {
    return this.nullId >= 0 ? this.nullId : (this.nullId = this.push(0));
  }

  /** The id of `v`, or -1. */
  find(v: number): number {
    if (v !== v) return this.nanId;
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let s = hashNumber(v) >>> this.shift; ; s = (s + 1) & mask) {
      const id = slots[s]! - 1;
      if (id < 0 || this.values[id] === v) return id;
    }
  }

  /** The id of `v`, added when new. */
  add(v: number): number {
    if (v !== v) return this.nanId >= 0 ? this.nanId : (this.nanId = this.push(v));
    const slots = this.slots;
    const mask = slots.length - 1;
    let s = hashNumber(v) >>> this.shift;
    for (; ; s = (s + 1) & mask) {
      const id = slots[s]! - 1;
      if (id < 0) break;
      if (this.values[id] === v) return id;
    }
    const id = this.push(v);
    slots[s] = id + 1;
    if (this.size * 2 > slots.length) this.rehash();
    return id;
  }

  private push(v: number): number {
    if (this.size === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.size] = v;
    return this.size++;
  }

  private rehash(): void {
    const bits = 33 - this.shift;
    const slots = new Int32Array(1 << bits);
    const mask = slots.length - 1;
    const shift = 32 - bits;
    for (let id = 0; id < this.size; id++) {
      const v = this.values[id]!;
      if (v !== v || id === this.nullId) continue;
      let s = hashNumber(v) >>> shift;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = id + 1;
    }
    this.slots = slots;
    this.shift = shift;
  }
}

/** Distinct pairs of non-negative int32 ids → ids: how composite keys fold column by column. */
export class PairTable {
  size = 0;
  private first: Int32Array;
  private second: Int32Array;
  private slots: Int32Array;
  private shift: number;

  constructor(expected = 0) {
    const bits = bitsFor(expected);
    this.slots = new Int32Array(1 << bits);
    this.shift = 32 - bits;
    this.first = new Int32Array(Math.max(16, expected));
    this.second = new Int32Array(Math.max(16, expected));
  }

  find(a: number, b: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let s = Math.imul(a ^ Math.imul(b, MIX), GOLDEN) >>> this.shift; ; s = (s + 1) & mask) {
      const id = slots[s]! - 1;
      if (id < 0 || (this.first[id] === a && this.second[id] === b)) return id;
    }
  }

  add(a: number, b: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    let s = Math.imul(a ^ Math.imul(b, MIX), GOLDEN) >>> this.shift;
    for (; ; s = (s + 1) & mask) {
      const id = slots[s]! - 1;
      if (id < 0) break;
      if (this.first[id] === a && this.second[id] === b) return id;
    }
    if (this.size === this.first.length) {
      this.first = grow(this.first);
      this.second = grow(this.second);
    }
    const id = this.size++;
    this.first[id] = a;
    this.second[id] = b;
    slots[s] = id + 1;
    if (this.size * 2 > slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const bits = 33 - this.shift;
    const slots = new Int32Array(1 << bits);
    const mask = slots.length - 1;
    const shift = 32 - bits;
    for (let id = 0; id < this.size; id++) {
      let s = Math.imul(this.first[id]! ^ Math.imul(this.second[id]!, MIX), GOLDEN) >>> shift;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = id + 1;
    }
    this.slots = slots;
    this.shift = shift;
  }
}

function grow(array: Int32Array): Int32Array {
  const grown = new Int32Array(array.length * 2);
  grown.set(array);
  return grown;
}

const EMPTY_BYTES = new Uint8Array(0);

/** Distinct byte strings (UTF-8 text) → ids; the bytes are kept in one growing pool. */
export class BytesTable {
  size = 0;
  /** Bytes of id `i` are `pool[offsets[i] .. offsets[i + 1])`. */
  pool: Uint8Array;
  offsets: Int32Array;
  private hashes: Int32Array;
  private slots: Int32Array;
  private shift: number;
  private nullId = -1;

  constructor(expected = 0) {
    const bits = bitsFor(expected);
    this.slots = new Int32Array(1 << bits);
    this.shift = 32 - bits;
    this.hashes = new Int32Array(Math.max(16, expected));
    this.offsets = new Int32Array(Math.max(16, expected) + 1);
    this.pool = new Uint8Array(Math.max(256, expected * 8));
  }

  /** An id for null: an empty entry kept out of the slots, so `find` never returns it. */
  addNull(): number {
    if (this.nullId < 0) this.nullId = this.push(EMPTY_BYTES, 0, 0, 0);
    return this.nullId;
  }

  /** The id `addNull` handed out, or -1. */
  get nullEntry(): number {
    return this.nullId;
  }

  find(bytes: Uint8Array, start: number, end: number): number {
    const h = hashBytes(bytes, start, end);
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let s = Math.imul(h, GOLDEN) >>> this.shift; ; s = (s + 1) & mask) {
      const id = slots[s]! - 1;
      if (id < 0 || (this.hashes[id] === h && this.equals(id, bytes, start, end))) return id;
    }
  }

  add(bytes: Uint8Array, start: number, end: number): number {
    const h = hashBytes(bytes, start, end);
    const slots = this.slots;
    const mask = slots.length - 1;
    let s = Math.imul(h, GOLDEN) >>> this.shift;
    for (; ; s = (s + 1) & mask) {
      const id = slots[s]! - 1;
      if (id < 0) break;
      if (this.hashes[id] === h && this.equals(id, bytes, start, end)) return id;
    }
    const id = this.push(bytes, start, end, h);
    slots[s] = id + 1;
    if (this.size * 2 > slots.length) this.rehash();
    return id;
  }

  private equals(id: number, bytes: Uint8Array, start: number, end: number): boolean {
    const from = this.offsets[id]!;
    if (this.offsets[id + 1]! - from !== end - start) return false;
    const pool = this.pool;
    for (let i = start, j = from; i < end; i++, j++) if (pool[j] !== bytes[i]) return false;
    return true;
  }

  private push(bytes: Uint8Array, start: number, end: number, h: number): number {
    const id = this.size;
    if (id === this.hashes.length) this.hashes = grow(this.hashes);
    if (id + 1 === this.offsets.length) this.offsets = grow(this.offsets);
    const used = this.offsets[id]!;
    const need = used + end - start;
    if (need > this.pool.length) {
      const pool = new Uint8Array(Math.max(need, this.pool.length * 2));
      pool.set(this.pool.subarray(0, used));
      this.pool = pool;
    }
    this.pool.set(bytes.subarray(start, end), used);
    this.offsets[id + 1] = need;
    this.hashes[id] = h;
    this.size++;
    return id;
  }

  private rehash(): void {
    const bits = 33 - this.shift;
    const slots = new Int32Array(1 << bits);
    const mask = slots.length - 1;
    const shift = 32 - bits;
    for (let id = 0; id < this.size; id++) {
      if (id === this.nullId) continue;
      let s = Math.imul(this.hashes[id]!, GOLDEN) >>> shift;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = id + 1;
    }
    this.slots = slots;
    this.shift = shift;
  }
}

/** FNV-1a over the bytes, finished with a multiply-xorshift so short keys spread well. */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  h = Math.imul(h ^ (h >>> 16), MIX);
  return h ^ (h >>> 13);
}
