import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyIdOf, loadCheckpointSigner, verifyCheckpointSignature } from '../../../src/audit/checkpoint-key.js';
import { sha256Hex } from '../../../src/util/canonical-json.js';
import { makeTempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let logPath: string;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  logPath = join(dir, 'audit.jsonl');
});
afterEach(() => cleanup());

describe('checkpoint key', () => {
  it('generates a key beside the log (0600), writes the public key, and reuses it', async () => {
    const signer = await loadCheckpointSigner({ logPath });
    expect((await stat(`${logPath}.key`)).mode & 0o777).toBe(0o600);
    expect(await readFile(`${logPath}.key`, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const pubPem = await readFile(`${logPath}.pub`, 'utf8');
    expect(pubPem).toBe(signer.publicKeyPem);
    expect(pubPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const again = await loadCheckpointSigner({ logPath });
    expect(again.keyId).toBe(signer.keyId);
  });

  it('derives keyId from the raw public key', async () => {
    const signer = await loadCheckpointSigner({ logPath });
    const der = createPublicKey(signer.publicKeyPem).export({ format: 'der', type: 'spki' });
    // Ed25519 SPKI DER is a 12-byte header followed by the 32 raw key bytes.
    expect(signer.keyId).toBe(sha256Hex(der.subarray(12)).slice(0, 16));
    expect(keyIdOf(createPublicKey(signer.publicKeyPem))).toBe(signer.keyId);
  });

  it('signs canonical payloads that verify only with the right key and payload', async () => {
    const signer = await loadCheckpointSigner({ logPath });
    const pub = createPublicKey(signer.publicKeyPem);
    const sig = signer.sign({ b: 2, a: 1 });
    expect(verifyCheckpointSignature(pub, { a: 1, b: 2 }, sig)).toBe(true);
    expect(verifyCheckpointSignature(pub, { a: 1, b: 3 }, sig)).toBe(false);
    expect(verifyCheckpointSignature(generateKeyPairSync('ed25519').publicKey, { a: 1, b: 2 }, sig)).toBe(false);
    expect(verifyCheckpointSignature(pub, { a: 1, b: 2 }, 'not-base64!')).toBe(false);
  });

  it('loads a configured PKCS#8 key file', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const keyFile = join(dir, 'checkpoint.pem');
    await writeFile(keyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    const signer = await loadCheckpointSigner({ logPath, keyFile });
    expect(signer.keyId).toBe(keyIdOf(publicKey));
    expect(await readFile(`${logPath}.pub`, 'utf8')).toBe(publicKey.export({ format: 'pem', type: 'spki' }));
  });

  it('rejects a missing, malformed or non-Ed25519 key file with CONFIG_ERROR', async () => {
    await expect(loadCheckpointSigner({ logPath, keyFile: join(dir, 'missing.pem') })).rejects.toMatchObject({ code: 'CONFIG_ERROR' });
    const garbage = join(dir, 'garbage.pem');
    await writeFile(garbage, 'not a key');
    await expect(loadCheckpointSigner({ logPath, keyFile: garbage })).rejects.toMatchObject({ code: 'CONFIG_ERROR' });
    const ec = join(dir, 'ec.pem');
    await writeFile(ec, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }));
    await expect(loadCheckpointSigner({ logPath, keyFile: ec })).rejects.toMatchObject({ code: 'CONFIG_ERROR', message: expect.stringMatching(/not Ed25519/) as string });
  });
});
