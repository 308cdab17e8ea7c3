import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../test-app.testkit';
import type { SecretCipher } from './cipher';
import { keyFileCipher, parseKey } from './keyfile-cipher';
import { Vault } from './vault';

const SECRET = 'q7Rk2mZx9VbN4tLp8HsD3fGw6YcJ1aEu5oIy0TnM';

function tempDir() {
  return mkdtempSync(join(tmpdir(), 'pc-vault-'));
}

/** Stands in for Electron's safeStorage on Linux without a keyring. */
function basicTextCipher(): SecretCipher {
  return {
    backend: async () => 'basic_text',
    isProtected: async () => false,
    explain: async () => 'No keyring is available.',
    encrypt: async (plain) => Buffer.from(plain, 'utf8'),
    decrypt: async (data) => Buffer.from(data).toString('utf8'),
  };
}

describe('vault with the key-file cipher', () => {
  it('round-trips a secret and reports only that it is set and when', async () => {
    const dir = tempDir();
    const vault = new Vault({ dataDir: dir, cipher: keyFileCipher(dir, {}), allowUnprotected: () => false, now: () => new Date('2026-12-06T10:00:00Z') });
    const status = await vault.store('provider:a', SECRET);
    expect(status).toEqual({ configured: true, changedAt: '2026-12-06T10:00:00.000Z', storedWith: 'aes-256-gcm (key file)', persisted: true });
    expect(await vault.reveal('provider:a')).toBe(SECRET);
  });

  it('keeps only ciphertext on disk, with owner-only permissions', async () => {
    const dir = tempDir();
    const vault = new Vault({ dataDir: dir, cipher: keyFileCipher(dir, {}), allowUnprotected: () => false });
    await vault.store('provider:a', SECRET);
    const onDisk = readFileSync(join(dir, 'vault.json'), 'utf8');
    expect(onDisk).not.toContain(SECRET);
    expect(onDisk).not.toContain(Buffer.from(SECRET).toString('base64'));
    expect(statSync(join(dir, 'vault.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'vault.key')).mode & 0o777).toBe(0o600);
  });

  it('survives a restart (a new vault over the same files decrypts)', async () => {
    const dir = tempDir();
    await new Vault({ dataDir: dir, cipher: keyFileCipher(dir, {}), allowUnprotected: () => false }).store('p', SECRET);
    const reopened = new Vault({ dataDir: dir, cipher: keyFileCipher(dir, {}), allowUnprotected: () => false });
    expect(await reopened.reveal('p')).toBe(SECRET);
  });

  it("two processes writing different secrets keep both, and each sees the other's rotation and removal", async () => {
    const dir = tempDir();
    const open = () => new Vault({ dataDir: dir, cipher: keyFileCipher(dir, {}), allowUnprotected: () => false });
    const web = open();
    const cli = open();
    await web.store('provider:a', SECRET);
    await cli.store('provider:b', 'second-secret');
    await web.store('provider:c', 'third-secret');
    const reopened = open();
    expect(await reopened.reveal('provider:a')).toBe(SECRET);
    expect(await reopened.reveal('provider:b')).toBe('second-secret');
    expect(await reopened.reveal('provider:c')).toBe('third-secret');
    await cli.store('provider:a', 'rotated');
    expect(await web.reveal('provider:a')).toBe('rotated');
    cli.remove('provider:c');
    await expect(web.reveal('provider:c')).rejects.toMatchObject({ code: 'vault.missing' });
  });

  it('two processes making the same internal key end up with one key', async () => {
    const dir = tempDir();
    const open = () => new Vault({ dataDir: dir, cipher: keyFileCipher(dir, {}), allowUnprotected: () => false });
    const [a, b] = [open(), open()];
    const first = await a.internalKey('audit');
    const second = await b.internalKey('audit');
    expect(second.key.equals(first.key)).toBe(true);
  });

  it('uses POSTURE_CONSOLE_KEY instead of a key file when set', async () => {
    const dir = tempDir();
    const key = 'ab'.repeat(32);
    const vault = new Vault({ dataDir: dir, cipher: keyFileCipher(dir, { POSTURE_CONSOLE_KEY: key }), allowUnprotected: () => false });
    await vault.store('p', SECRET);
    expect(() => statSync(join(dir, 'vault.key'))).toThrow();
    expect(vault.status('p').storedWith).toBe('aes-256-gcm (POSTURE_CONSOLE_KEY)');
  });

  it('says which key is wrong instead of returning garbage', async () => {
    const dir = tempDir();
    await new Vault({ dataDir: dir, cipher: keyFileCipher(dir, { POSTURE_CONSOLE_KEY: 'ab'.repeat(32) }), allowUnprotected: () => false }).store('p', SECRET);
    const other = new Vault({ dataDir: dir, cipher: keyFileCipher(dir, { POSTURE_CONSOLE_KEY: 'cd'.repeat(32) }), allowUnprotected: () => false });
    await expect(other.reveal('p')).rejects.toMatchObject({ code: 'vault.undecryptable' });
  });

  it('rejects a malformed POSTURE_CONSOLE_KEY with the expected form', () => {
    expect(() => parseKey('short')).toThrow(/64 hex characters/);
  });

  it('drops the hint (the last characters) from a file written by an earlier version', async () => {
    const dir = tempDir();
    await new Vault({ dataDir: dir, cipher: keyFileCipher(dir, {}), allowUnprotected: () => false }).store('p', SECRET);
    const file = join(dir, 'vault.json');
    const old = JSON.parse(readFileSync(file, 'utf8'));
    old.entries.p.hint = `…${SECRET.slice(-4)}`;
    writeFileSync(file, JSON.stringify(old));
    const reopened = new Vault({ dataDir: dir, cipher: keyFileCipher(dir, {}), allowUnprotected: () => false });
    expect(readFileSync(file, 'utf8')).not.toContain(SECRET.slice(-4));
    expect(Object.keys(reopened.status('p')).sort()).toEqual(['changedAt', 'configured', 'persisted', 'storedWith']);
    expect(await reopened.reveal('p')).toBe(SECRET);
  });
});

describe('vault on Linux without a keyring (basic_text)', () => {
  it('does not persist secrets unless the admin opted in, and says so', async () => {
    const dir = tempDir();
    const vault = new Vault({ dataDir: dir, cipher: basicTextCipher(), allowUnprotected: () => false });
    const status = await vault.store('p', SECRET);
    expect(status).toMatchObject({ configured: true, persisted: false, storedWith: 'memory (this session only)' });
    expect(readFileSync(join(dir, 'vault.json'), 'utf8')).not.toContain(SECRET);
    expect(await vault.reveal('p')).toBe(SECRET);
    const info = await vault.info();
    expect(info).toMatchObject({ backend: 'basic_text', protected: false, persisted: false });
    expect(info.explanation).toMatch(/memory for this session only/);
    expect(new Vault({ dataDir: dir, cipher: basicTextCipher(), allowUnprotected: () => false }).status('p').configured).toBe(false);
  });

  it('persists after an explicit opt-in, still reporting the storage as unprotected', async () => {
    const dir = tempDir();
    const vault = new Vault({ dataDir: dir, cipher: basicTextCipher(), allowUnprotected: () => true });
    expect(await vault.store('p', SECRET)).toMatchObject({ persisted: true, storedWith: 'basic_text' });
    expect(await vault.info()).toMatchObject({ protected: false, persisted: true });
  });
});

describe('no handler returns a secret', () => {
  it('app.info and settings carry no plaintext', async () => {
    const { app, dir } = await createTestApp();
    await app.vault.store('provider:x', SECRET);
    const outputs = [await app.handlers['app.info']({}), await app.handlers['settings.get']({}), await app.handlers['settings.update']({ theme: 'dark' })];
    expect(JSON.stringify(outputs)).not.toContain(SECRET);
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).not.toContain(SECRET);
    await app.close();
  });
});
