import { describe, expect, it } from 'vitest';
import { registerSecret, scrubText, scrubValue } from '../../../src/results/scrub.js';

const PEM = [
  '-----BEGIN PRIVATE KEY-----',
  'MC4CAQAwBQYDK2VwBCIEIHn3l8m0bTqV2Zf0wq3c0Hk1xYgN4sR6uJcWmP2oLx9a',
  '-----END PRIVATE KEY-----',
].join('\n');

describe('scrubText patterns', () => {
  it.each([
    ['AWS access key id', 'key AKIAIOSFODNN7EXAMPLE used', 'AKIAIOSFODNN7EXAMPLE'],
    ['AWS temporary key id', 'ASIAY34FZKBOKMUTVV7A denied', 'ASIAY34FZKBOKMUTVV7A'],
    ['JWT', 'bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbmFseXN0In0.c2lnbmF0dXJlLXZhbHVl rest', 'eyJzdWIiOiJhbmFseXN0In0'],
    ['S3 presigned signature', 'GET https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4&X-Amz-Signature=0123abcdef9876&X-Amz-Expires=60', '0123abcdef9876'],
    ['S3 credential', 'https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIDSECRETCRED%2F2026&x=1', 'AKIDSECRETCRED'],
    ['GCS presigned signature', 'https://storage.googleapis.com/b/o?X-Goog-Algorithm=GOOG4&X-Goog-Signature=feedface00112233', 'feedface00112233'],
    ['redis URL password', 'connect redis://default:hunter2redis@cache.internal:6379 failed', 'hunter2redis'],
    ['rediss URL password without user', 'rediss://:tls-pass-123@cache:6380', 'tls-pass-123'],
    ['postgres URL password', 'error: postgres://app:pg-pa55word@db.internal:5432/prod refused', 'pg-pa55word'],
    ['postgresql URL password', 'postgresql://u:s3cr3t-v@h/db', 's3cr3t-v'],
    ['key=value secret', 'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI'],
    ['JSON password field', '{"password": "correct-horse-battery"}', 'correct-horse-battery'],
  ])('redacts a %s', (_name, text, secret) => {
    const out = scrubText(text);
    expect(out).not.toContain(secret);
    expect(out).toContain('[REDACTED]');
  });

  it('redacts a PEM private key, the whole block', () => {
    const out = scrubText(`loaded key:\n${PEM}\ndone`);
    expect(out).not.toContain('MC4CAQAw');
    expect(out).not.toContain('BEGIN PRIVATE KEY');
    expect(out).toContain('done');
  });

  it('redacts a truncated PEM block (no END line)', () => {
    const out = scrubText(`-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAv1a2b3c4d5e6f7g8`);
    expect(out).not.toContain('MIIEowIBAAKCAQEA');
  });

  it('keeps the structure around a presigned URL and a connection URL', () => {
    expect(scrubText('https://h/k?X-Amz-Signature=abc123&X-Amz-Expires=60')).toBe('https://h/k?X-Amz-Signature=[REDACTED]&X-Amz-Expires=60');
    expect(scrubText('redis://user:pw123456@host:6379')).toBe('redis://user:[REDACTED]@host:6379');
  });

  it('leaves ordinary text alone', () => {
    const text = 'Read 50 rows from demo/orders.csv (status = shipped, https://example.com/docs?page=2).';
    expect(scrubText(text)).toBe(text);
  });

  it('redacts registered secrets wherever they appear, and each line of registered PEM', () => {
    registerSecret('registered-canary-secret-77');
    expect(scrubText('x registered-canary-secret-77 y registered-canary-secret-77')).toBe('x [REDACTED] y [REDACTED]');
    registerSecret(`-----BEGIN SOMETHING-----\nABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\n-----END SOMETHING-----`);
    expect(scrubText('rewrapped: ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')).toBe('rewrapped: [REDACTED]');
  });

  it('ignores too-short or empty registrations (they would redact ordinary words)', () => {
    registerSecret('abc');
    registerSecret('');
    registerSecret(undefined);
    expect(scrubText('abc is fine')).toBe('abc is fine');
  });

  it('scrubValue scrubs strings anywhere in a JSON-like value', () => {
    const out = scrubValue({ a: ['AKIAIOSFODNN7EXAMPLE'], b: { c: 'redis://u:pw-abc-123@h' }, n: 3, t: true });
    expect(JSON.stringify(out)).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(JSON.stringify(out)).not.toContain('pw-abc-123');
    expect(out).toMatchObject({ n: 3, t: true });
  });
});
