// Hooks for app-level data: info for the Status page, UI settings.
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { UiSettingsPatch } from '../../src-shared/schemas/app';
import { call } from './client';

export const appKeys = {
  info: ['app.info'] as const,
  settings: ['settings'] as const,
};

/** The app's info (the top bar's chips, the Status page): shared by the hook and the start, which asks before the mount. */
export const appInfoQuery = queryOptions({ queryKey: appKeys.info, queryFn: () => call('app.info', {}) });
/** The UI settings (the theme): shared by the hook and the start, so the first paint has the admin's theme. */
export const uiSettingsQuery = queryOptions({ queryKey: appKeys.settings, queryFn: () => call('settings.get', {}) });

export function useAppInfo() {
  return useQuery(appInfoQuery);
}

export function useUiSettings() {
  return useQuery(uiSettingsQuery);
}

export function useUpdateUiSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: UiSettingsPatch) => call('settings.update', patch),
    onSuccess: (settings) => client.setQueryData(appKeys.settings, settings),
  });
}
