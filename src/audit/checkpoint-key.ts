import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { readFile, writeFile, chmod, stat } from 'node:fs/promises';
import type { Logger } from '../logging/logger.js';
import { configError } from '../results/errors.js';
import { canonicalJson, sha256Hex } from '../util/canonical-json.js';

/** Signs checkpoints. The private key never leaves this object. */
export interface CheckpointSigner {
  keyId: string;
  publicKeyPem: string;
  /** base64 Ed25519 signature over the canonical JSON of `payload`. */
  sign(payload: object): string;
}

export const keyPathFor = (logPath: string) => `${logPath}.key`;
export const publicKeyPathFor = (logPath: string) => `${logPath}.pub`;

/** First 16 hex chars of sha256 over the raw 32-byte Ed25519 public key. */
export function keyIdOf(publicKey: KeyObject): string {
  const x = publicKey.export({ format: 'jwk' }).x;
  if (typeof x !== 'string') throw new Error('not an Ed25519 public key');
  return sha256Hex(Buffer.from(x, 'base64url')).slice(0, 16);
}

export function verifyCheckpointSignature(publicKey: KeyObject, payload: object, signature: string): boolean {
  try {
    return verify(null, Buffer.from(canonicalJson(payload)), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/**
 * Load the checkpoint key from `keyFile` (PKCS#8 PEM), or — when none is configured — from
 * `<log>.key`, generating it on first use. The public key is written to `<log>.pub` (SPKI PEM)
 * when missing, which is where `audit verify` looks by default.
 */
export async function loadCheckpointSigner(opts: { logPath: string; keyFile?: string; logger?: Logger }): Promise<CheckpointSigner> {
  const privateKey = opts.keyFile ? await readConfiguredKey(opts.keyFile, opts.logger) : await readOrCreateKey(keyPathFor(opts.logPath));
  const publicKey = createPublicKey(privateKey);
  const publicKeyPem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
  await writeFile(publicKeyPathFor(opts.logPath), publicKeyPem, { flag: 'wx', mode: 0o644 }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
  const keyId = keyIdOf(publicKey);
  return {
    keyId,
    publicKeyPem,
    sign: (payload) => sign(null, Buffer.from(canonicalJson(payload)), privateKey).toString('base64'),
  };
}

async function readConfiguredKey(file: string, logger?: Logger): Promise<KeyObject> {
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (err) {
    throw configError(
      `audit.checkpoint_key_file cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): ${file}`,
      'Point audit.checkpoint_key_file at a PKCS#8 PEM Ed25519 private key, or remove it to have one generated beside the log.',
    );
  }
  const mode = (await stat(file)).mode;
  if (mode & 0o077) logger?.warn({ file }, 'audit checkpoint key file is readable by group or others; chmod 600 it');
  return parseEd25519(pem, file);
}

async function readOrCreateKey(file: string): Promise<KeyObject> {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  try {
    // `wx`: two processes starting at once must not overwrite each other's key.
    await writeFile(file, pem, { flag: 'wx', mode: 0o600 });
    await chmod(file, 0o600);
    return privateKey;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return parseEd25519(await readFile(file, 'utf8'), file);
}

function parseEd25519(pem: string, file: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw configError(`audit checkpoint key is not a valid PEM private key: ${file}`, 'Use a PKCS#8 PEM Ed25519 key (openssl genpkey -algorithm ed25519).');
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw configError(`audit checkpoint key is ${key.asymmetricKeyType ?? 'unknown'}, not Ed25519: ${file}`, 'Use a PKCS#8 PEM Ed25519 key (openssl genpkey -algorithm ed25519).');
  }
  return key;
}
