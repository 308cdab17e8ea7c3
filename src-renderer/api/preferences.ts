// Preferences (retention, notifications, keyring opt-in) and configuration transfer.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PreferencesPatch } from '../../src-shared/schemas/preferences';
import { appKeys } from './app';
import { call } from './client';

const keys = { preferences: ['preferences'] as const };

export function usePreferences() {
  return useQuery({ queryKey: keys.preferences, queryFn: () => call('preferences.get', {}) });
}

export function useUpdatePreferences() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: PreferencesPatch) => call('preferences.update', patch),
    onSuccess: (prefs) => {
      client.setQueryData(keys.preferences, prefs);
      // The keyring opt-in changes how secrets are stored: the Status page says so.
      void client.invalidateQueries({ queryKey: appKeys.info });
    },
  });
}

export function useExportConfig() {
  return useMutation({ mutationFn: () => call('config.export', {}) });
}

export function useImportConfig() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (text: string) => call('config.import', { text }),
    onSuccess: () => void client.invalidateQueries(),
  });
}
