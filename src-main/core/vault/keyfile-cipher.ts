// AES-256-GCM for the web host and CLI, keyed by POSTURE_CONSOLE_KEY or a 0600 key file.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretCipher } from './cipher';

const FORMAT = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Accepts 64 hex characters or base64 of 32 bytes. */
export function parseKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new Error('POSTURE_CONSOLE_KEY must be 32 bytes: 64 hex characters or 44 base64 characters.');
  return key;
}

function loadOrCreateKeyFile(file: string): Buffer {
  if (existsSync(file)) return parseKey(readFileSync(file, 'utf8'));
  const key = randomBytes(32);
  // 'wx' fails if another process created it in between; mode applies on creation.
  writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return key;
}

export function keyFileCipher(dataDir: string, env: NodeJS.ProcessEnv = process.env): SecretCipher {
  const fromEnv = env.POSTURE_CONSOLE_KEY;
  const keyFile = join(dataDir, 'vault.key');
  let key: Buffer | undefined;
  const getKey = () => (key ??= fromEnv ? parseKey(fromEnv) : loadOrCreateKeyFile(keyFile));
  const backend = fromEnv ? 'aes-256-gcm (POSTURE_CONSOLE_KEY)' : 'aes-256-gcm (key file)';

  return {
    backend: async () => backend,
    isProtected: async () => true,
    explain: async () =>
      fromEnv
        ? 'Secrets are encrypted with AES-256-GCM using the key in the POSTURE_CONSOLE_KEY environment variable; the key is not stored on disk.'
        : `Secrets are encrypted with AES-256-GCM using the key file ${keyFile} (readable only by you). Anyone who can read both that file and the data directory can decrypt them; set POSTURE_CONSOLE_KEY to keep the key off disk.`,
    async encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', getKey(), iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([FORMAT]), iv, cipher.getAuthTag(), body]);
    },
    async decrypt(data) {
      const buf = Buffer.from(data);
      if (buf[0] !== FORMAT) throw new Error('Unknown secret format');
      const iv = buf.subarray(1, 1 + IV_BYTES);
      const tag = buf.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', getKey(), iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(buf.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    },
  };
}
