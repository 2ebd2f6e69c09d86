/**
 * HyperLogLog distinct-count sketch (Flajolet et al. 2007) for columns with more distinct
 * values than an exact set may hold. 2^14 registers (16 KiB): relative standard error
 * 1.04 / sqrt(16384) ≈ 0.81%.
 *
 * Each value gets two independent 32-bit hashes: one picks the register, the other supplies
 * the run of leading zeros. That is 46 useful hash bits, so the estimate needs no large-range
 * correction below ~10^13 distinct values, far beyond any row limit here.
 */

const PRECISION = 14;
const REGISTERS = 1 << PRECISION;
const ALPHA = 0.7213 / (1 + 1.079 / REGISTERS);

/** Relative standard error of an estimate from this sketch. */
export const HLL_RELATIVE_ERROR = 1.04 / Math.sqrt(REGISTERS);

const SEED_INDEX = 0x9747b28c;
const SEED_RANK = 0x5bd1e995;

export type SketchKey = string | number | boolean;

export class HyperLogLog {
  private readonly registers = new Uint8Array(REGISTERS);

  add(key: SketchKey): void {
    const index = hashKey(key, SEED_INDEX) >>> (32 - PRECISION);
    const rank = Math.clz32(hashKey(key, SEED_RANK)) + 1;
    if (rank > this.registers[index]!) this.registers[index] = rank;
  }

  estimate(): number {
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < REGISTERS; i++) {
      const r = this.registers[i]!;
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const raw = (ALPHA * REGISTERS * REGISTERS) / sum;
    // Small range: linear counting over the empty registers is far more accurate there.
    if (raw <= 2.5 * REGISTERS && zeros > 0) return Math.round(REGISTERS * Math.log(REGISTERS / zeros));
    return Math.round(raw);
  }
}

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);

/** MurmurHash3-style 32-bit hash of a number (its float64 bits), string (UTF-16 units) or bool. */
export function hashKey(key: SketchKey, seed: number): number {
  if (typeof key === 'string') {
    let h = seed ^ key.length;
    for (let i = 0; i < key.length; i++) h = mixWord(h, key.charCodeAt(i));
    return fmix(h ^ key.length);
  }
  if (typeof key === 'boolean') return fmix(mixWord(seed, key ? 1 : 2));
  // -0 and 0 are one value (as in a Set); every NaN is one value whatever its payload bits.
  if (Number.isNaN(key)) return fmix(mixWord(seed, 0x7ff80000));
  scratch[0] = key === 0 ? 0 : key;
  return fmix(mixWord(mixWord(seed, scratchWords[0]!), scratchWords[1]!) ^ 8);
}

function mixWord(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
