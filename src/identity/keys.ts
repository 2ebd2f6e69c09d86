import { readFileSync } from 'node:fs';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { Config } from '../config/schema.js';
import { configError } from '../results/errors.js';

/** Verification (and, for `token issue`, signing) keys named by `auth.keys`. */
export interface TokenKeys {
  hs256?: Uint8Array;
  ed25519Public?: KeyObject;
  ed25519Private?: KeyObject;
}

export function loadTokenKeys(auth: Config['auth'], env: NodeJS.ProcessEnv, wantPrivate = false): TokenKeys {
  const keys: TokenKeys = {};
  const { hs256_secret_env, ed25519_public_key_file, ed25519_private_key_file } = auth.keys;
  if (hs256_secret_env) {
    const secret = env[hs256_secret_env];
    if (!secret) throw configError(`auth.keys.hs256_secret_env names ${hs256_secret_env}, which is not set`, `Export ${hs256_secret_env} with a secret of at least 32 bytes.`);
    if (Buffer.byteLength(secret) < 32) throw configError(`the HS256 secret in ${hs256_secret_env} is shorter than 32 bytes`, 'Use a random secret of at least 32 bytes (e.g. `openssl rand -base64 48`).');
    keys.hs256 = new TextEncoder().encode(secret);
  }
  if (ed25519_public_key_file) keys.ed25519Public = readKey(ed25519_public_key_file, 'public');
  if (wantPrivate && ed25519_private_key_file) keys.ed25519Private = readKey(ed25519_private_key_file, 'private');
  return keys;
}

function readKey(file: string, kind: 'public' | 'private'): KeyObject {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch {
    throw configError(`cannot read the Ed25519 ${kind} key file ${file}`, 'Check auth.keys in the config.');
  }
  try {
    const key = kind === 'public' ? createPublicKey(pem) : createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('not ed25519');
    return key;
  } catch {
    throw configError(`${file} is not an Ed25519 ${kind} key in PEM form`, `Generate one with: openssl genpkey -algorithm ed25519 (then openssl pkey -pubout for the public key).`);
  }
}
