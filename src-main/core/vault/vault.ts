// Credential custody: ciphertext at rest, plaintext only to the provider clients inside this process.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ContractError } from '../../../src-shared/errors';
import type { SecretStorageInfo } from '../../../src-shared/schemas/app';
import type { SecretStatus } from '../../../src-shared/schemas/secret';
import type { SecretCipher } from './cipher';

// Files written by earlier versions also carry `hint` (the secret's last characters): parsing drops it.
const Entry = z.object({
  ciphertext: z.string(),
  storedWith: z.string(),
  updatedAt: z.string(),
});
const VaultFile = z.object({ version: z.literal(1), entries: z.record(z.string(), Entry) });
type Entry = z.infer<typeof Entry>;

/** Refs of keys the console makes for itself (the audit chain's): never removed, never shown, never a provider's. */
const INTERNAL_PREFIX = 'internal:';

export interface VaultOptions {
  dataDir: string;
  cipher: SecretCipher;
  /** Whether the admin accepted unprotected storage (Linux without a keyring). */
  allowUnprotected: () => boolean;
  now?: () => Date;
}

export class Vault {
  readonly #file: string;
  readonly #cipher: SecretCipher;
  readonly #allowUnprotected: () => boolean;
  readonly #now: () => Date;
  readonly #entries = new Map<string, Entry>();
  /** Secrets kept for this session only, when the backend would not protect them on disk. */
  readonly #sessionOnly = new Map<string, { plain: string; changedAt: string }>();

  constructor(options: VaultOptions) {
    this.#file = join(options.dataDir, 'vault.json');
    this.#cipher = options.cipher;
    this.#allowUnprotected = options.allowUnprotected;
    this.#now = options.now ?? (() => new Date());
    this.#load();
  }

  async info(): Promise<SecretStorageInfo> {
    const [backend, isProtected, explanation] = await Promise.all([this.#cipher.backend(), this.#cipher.isProtected(), this.#cipher.explain()]);
    const persisted = isProtected || this.#allowUnprotected();
    const suffix = isProtected
      ? ''
      : persisted
        ? ' You chose to store secrets anyway: they are only obfuscated on disk.'
        : ' Secrets are therefore kept in memory for this session only and must be re-entered after a restart, unless you accept unprotected storage in Settings.';
    return { backend, protected: isProtected, persisted, explanation: explanation + suffix };
  }

  status(ref: string): SecretStatus {
    const session = this.#sessionOnly.get(ref);
    if (session) return { configured: true, changedAt: session.changedAt, storedWith: 'memory (this session only)', persisted: false };
    const entry = this.#entries.get(ref);
    if (!entry) return { configured: false, changedAt: null, storedWith: null, persisted: false };
    return { configured: true, changedAt: entry.updatedAt, storedWith: entry.storedWith, persisted: true };
  }

  async store(ref: string, plain: string): Promise<SecretStatus> {
    if (!plain) throw new ContractError({ code: 'vault.empty', message: 'The secret is empty.', fix: 'Paste the secret again.' });
    const changedAt = this.#now().toISOString();
    const persist = (await this.#cipher.isProtected()) || this.#allowUnprotected();
    if (!persist) {
      this.#sessionOnly.set(ref, { plain, changedAt });
      this.#save((entries) => entries.delete(ref));
      return this.status(ref);
    }
    const ciphertext = Buffer.from(await this.#cipher.encrypt(plain)).toString('base64');
    const entry = { ciphertext, storedWith: await this.#cipher.backend(), updatedAt: changedAt };
    this.#sessionOnly.delete(ref);
    this.#save((entries) => entries.set(ref, entry));
    return this.status(ref);
  }

  /** For provider clients only. No handler returns this value. */
  async reveal(ref: string): Promise<string> {
    const session = this.#sessionOnly.get(ref);
    if (session) return session.plain;
    // The file is the truth: a CLI command beside the web host may have added or rotated this secret since.
    this.#adopt(this.#readDisk());
    const entry = this.#entries.get(ref);
    if (!entry)
      throw new ContractError({
        code: 'vault.missing',
        message: 'No secret is stored for this connection.',
        fix: 'Edit the provider and enter its secret again.',
      });
    try {
      return await this.#cipher.decrypt(Buffer.from(entry.ciphertext, 'base64'));
    } catch {
      throw new ContractError({
        code: 'vault.undecryptable',
        message: `The stored secret cannot be decrypted with ${await this.#cipher.backend()} (it was stored with ${entry.storedWith}).`,
        fix: 'The keychain or key changed since the secret was saved. Edit the provider and enter its secret again.',
      });
    }
  }

  /**
   * A random 32-byte key the console keeps for itself, generated on first use. Unlike a provider's secret it is
   * persisted even where the backend only obfuscates (Linux without a keyring): a key lost at restart would make
   * everything it protected unverifiable. `protected` says which it was. For core services only; no handler returns it.
   */
  async internalKey(name: string): Promise<{ key: Buffer; protected: boolean }> {
    const ref = INTERNAL_PREFIX + name;
    // Another process (a CLI command beside the web host) may have made it since this vault loaded.
    if (!this.#entries.has(ref)) this.#load();
    const isProtected = await this.#cipher.isProtected();
    const entry = this.#entries.get(ref);
    if (entry) return { key: Buffer.from(await this.#cipher.decrypt(Buffer.from(entry.ciphertext, 'base64')), 'hex'), protected: isProtected };
    const key = randomBytes(32);
    const ciphertext = Buffer.from(await this.#cipher.encrypt(key.toString('hex'))).toString('base64');
    const made = { ciphertext, storedWith: await this.#cipher.backend(), updatedAt: this.#now().toISOString() };
    // Two processes making the key at once: the first one on disk wins, and both use it.
    let kept = made;
    this.#save((entries) => {
      const other = entries.get(ref);
      if (other) kept = other;
      else entries.set(ref, made);
    });
    if (kept !== made) return { key: Buffer.from(await this.#cipher.decrypt(Buffer.from(kept.ciphertext, 'base64')), 'hex'), protected: isProtected };
    return { key, protected: isProtected };
  }

  remove(ref: string): void {
    this.#sessionOnly.delete(ref);
    if (this.#entries.has(ref)) this.#save((entries) => entries.delete(ref));
  }

  #load(): void {
    let text: string;
    try {
      text = readFileSync(this.#file, 'utf8');
    } catch {
      return;
    }
    const parsed = VaultFile.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`The vault file ${this.#file} is damaged; move it aside to start empty.`);
    for (const [ref, entry] of Object.entries(parsed.data.entries)) if (!this.#entries.has(ref)) this.#entries.set(ref, entry);
    // Rewrite a file that still holds hints, so no part of a secret stays on disk in the clear.
    if (text.includes('"hint"')) this.#save();
  }

  /** The entries as the file holds them now (another process may have written since this vault loaded). */
  #readDisk(): Map<string, Entry> | null {
    let text: string;
    try {
      text = readFileSync(this.#file, 'utf8');
    } catch {
      return null; // no file yet
    }
    const parsed = VaultFile.safeParse(JSON.parse(text));
    return parsed.success ? new Map(Object.entries(parsed.data.entries)) : null;
  }

  /**
   * Applies one change to the file as it is on disk now, not to this process's copy, so a CLI command and the web host
   * (or two windows) each writing a different provider's secret never undo each other; then adopts the merged result.
   * Atomic replace with owner-only permissions.
   */
  #save(change: (entries: Map<string, Entry>) => void = () => {}): void {
    mkdirSync(dirname(this.#file), { recursive: true });
    const entries = this.#readDisk() ?? new Map(this.#entries);
    change(entries);
    const body = JSON.stringify({ version: 1, entries: Object.fromEntries(entries) }, null, 2);
    const tmp = `${this.#file}.${process.pid}.tmp`;
    writeFileSync(tmp, body, { mode: 0o600 });
    renameSync(tmp, this.#file);
    this.#adopt(entries);
  }

  #adopt(entries: Map<string, Entry> | null): void {
    if (!entries) return;
    this.#entries.clear();
    for (const [ref, entry] of entries) this.#entries.set(ref, entry);
  }
}
