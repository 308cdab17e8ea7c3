// Hooks for app-level data: info for the Status page, UI settings.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { UiSettingsPatch } from '../../src-shared/schemas/app';
import { call } from './client';

export const appKeys = {
  info: ['app.info'] as const,
  settings: ['settings'] as const,
};

export function useAppInfo() {
  return useQuery({ queryKey: appKeys.info, queryFn: () => call('app.info', {}) });
}

export function useUiSettings() {
  return useQuery({ queryKey: appKeys.settings, queryFn: () => call('settings.get', {}) });
}

export function useUpdateUiSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: UiSettingsPatch) => call('settings.update', patch),
    onSuccess: (settings) => client.setQueryData(appKeys.settings, settings),
  });
}
