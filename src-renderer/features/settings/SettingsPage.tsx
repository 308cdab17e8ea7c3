// UI preferences. Saved through the contract; the theme applies at once.
import { Loader, Paper, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import type { UiSettings } from '../../../src-shared/schemas/app';
import { useUiSettings, useUpdateUiSettings } from '../../api/app';
import { ErrorNotice } from '../../app/ErrorNotice';

export function SettingsPage() {
  const settings = useUiSettings();
  const update = useUpdateUiSettings();
  if (settings.isPending) return <Loader aria-label="Loading settings" />;
  if (settings.isError) return <ErrorNotice error={settings.error} />;
  return (
    <Stack gap="md" maw={720}>
      <Title order={2}>Settings</Title>
      <Paper withBorder p="md">
        <Stack gap="sm">
          <div>
            <Text fw={600} id="theme-label">Theme</Text>
            <SegmentedControl
              aria-labelledby="theme-label"
              value={settings.data.theme}
              onChange={(theme) => update.mutate({ theme: theme as UiSettings['theme'] })}
              data={[{ value: 'system', label: 'Follow system' }, { value: 'light', label: 'Light' }, { value: 'dark', label: 'Dark' }]}
            />
          </div>
          <div>
            <Text fw={600} id="density-label">Table density</Text>
            <SegmentedControl
              aria-labelledby="density-label"
              value={settings.data.density}
              onChange={(density) => update.mutate({ density: density as UiSettings['density'] })}
              data={[{ value: 'compact', label: 'Compact' }, { value: 'comfortable', label: 'Comfortable' }]}
            />
          </div>
          {update.isError && <ErrorNotice error={update.error} />}
        </Stack>
      </Paper>
    </Stack>
  );
}
