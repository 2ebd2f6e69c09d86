import { setFlagsFromString } from 'node:v8';

/**
 * The one import of cedar-wasm in data-mcp.
 *
 * V8 in Node 20 (11.3) aborts the whole process ("Fatal error ... unreachable code" in
 * Deoptimizer::DoComputeBuiltinContinuation) when TurboFan has inlined a JS→Wasm call into an
 * optimized caller and that caller is lazily deoptimized while the Wasm call is running — which
 * cedar-wasm provokes, since its Wasm calls back into JS (JSON.stringify/parse) mid-call.
 * Reproduced here with the engine's hit/miss mix after ~60k decisions. Turning that one
 * inlining off before any of our code is optimized removes the crash; the cost is a few
 * nanoseconds per Wasm call. Remove once the supported Node has a fixed V8.
 */
setFlagsFromString('--no-turbo-inline-js-wasm-calls');

export * from '@cedar-policy/cedar-wasm/nodejs';
