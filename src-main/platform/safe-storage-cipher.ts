// SecretCipher over Electron's safeStorage (async API): Keychain, DPAPI, libsecret or kwallet.
import { safeStorage } from 'electron';
import type { SecretCipher } from '../core/vault/cipher';

export function safeStorageCipher(): SecretCipher {
  const backend = async () => {
    if (process.platform === 'darwin') return 'keychain';
    if (process.platform === 'win32') return 'dpapi';
    return safeStorage.getSelectedStorageBackend();
  };
  const isProtected = async () => (await safeStorage.isAsyncEncryptionAvailable()) && (await backend()) !== 'basic_text';
  return {
    backend,
    isProtected,
    async explain() {
      const name = await backend();
      if (name === 'basic_text')
        return 'No keyring (GNOME Keyring or KWallet) is available, so Electron would encrypt secrets with a hard-coded key: that is not protection.';
      return `Secrets are encrypted with the operating system's keychain (${name}); only your user account can decrypt them.`;
    },
    encrypt: (plain) => safeStorage.encryptStringAsync(plain),
    async decrypt(data) {
      const { result } = await safeStorage.decryptStringAsync(Buffer.from(data));
      return result;
    },
  };
}
