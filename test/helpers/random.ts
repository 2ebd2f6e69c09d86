/** The seeded PRNG tests share for random data: the engine's own mulberry32 (sample op). */
export { mulberry32 } from '../../src/engine/ops/sample.js';
