// The one seam between the vault and whatever really encrypts: Electron safeStorage or a key file.

export interface SecretCipher {
  /** Recorded with every ciphertext, e.g. 'gnome_libsecret', 'keychain', 'aes-256-gcm (key file)'. */
  backend(): Promise<string>;
  /** False when encryption does not protect data at rest (Linux `basic_text`: a hard-coded key). */
  isProtected(): Promise<boolean>;
  /** A sentence for the Status page saying where the key lives. */
  explain(): Promise<string>;
  encrypt(plain: string): Promise<Uint8Array>;
  decrypt(cipher: Uint8Array): Promise<string>;
}
