// Settings: appearance, data and retention, notifications, secret storage, configuration transfer.
import { Alert, Button, FileButton, Group, Loader, NumberInput, Paper, SegmentedControl, Select, Stack, Switch, Text, Title } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState } from 'react';
import type { UiSettings } from '../../../src-shared/schemas/app';
import type { ConfigImportResult } from '../../../src-shared/schemas/preferences';
import { PollInterval } from '../../../src-shared/schemas/providers';
import { useAppInfo, useUiSettings, useUpdateUiSettings } from '../../api/app';
import { useExportConfig, useImportConfig, usePreferences, useUpdatePreferences } from '../../api/preferences';
import { downloadText } from '../../app/download';
import { ErrorNotice } from '../../app/ErrorNotice';

function Appearance() {
  const settings = useUiSettings();
  const update = useUpdateUiSettings();
  if (!settings.data) return settings.isError ? <ErrorNotice error={settings.error} /> : <Loader aria-label="Loading settings" />;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="appearance-title">
      <Title order={3} size="h5" id="appearance-title" mb="sm">
        Appearance
      </Title>
      <Stack gap="sm">
        <div>
          <Text fw={600} id="theme-label">
            Theme
          </Text>
          <SegmentedControl
            aria-labelledby="theme-label"
            value={settings.data.theme}
            onChange={(theme) => update.mutate({ theme: theme as UiSettings['theme'] })}
            data={[
              { value: 'system', label: 'Follow system' },
              { value: 'light', label: 'Light' },
              { value: 'dark', label: 'Dark' },
            ]}
          />
        </div>
        <div>
          <Text fw={600} id="density-label">
            Table density
          </Text>
          <SegmentedControl
            aria-labelledby="density-label"
            value={settings.data.density}
            onChange={(density) => update.mutate({ density: density as UiSettings['density'] })}
            data={[
              { value: 'compact', label: 'Compact' },
              { value: 'comfortable', label: 'Comfortable' },
            ]}
          />
        </div>
        {update.isError && <ErrorNotice error={update.error} />}
      </Stack>
    </Paper>
  );
}

function DataAndNotifications() {
  const info = useAppInfo();
  const prefs = usePreferences();
  const update = useUpdatePreferences();
  if (!prefs.data || !info.data) return prefs.isError ? <ErrorNotice error={prefs.error} /> : <Loader aria-label="Loading preferences" />;
  const { notifications } = prefs.data;
  const storage = info.data.secretStorage;
  return (
    <>
      <Paper withBorder p="md" component="section" aria-labelledby="data-title">
        <Title order={3} size="h5" id="data-title" mb="sm">
          Data
        </Title>
        <Stack gap="sm">
          <Text size="sm">
            Data directory:{' '}
            <Text span ff="monospace">
              {info.data.dataDir}
            </Text>
          </Text>
          <NumberInput
            label="Keep the posture log for (days)"
            description="Older changes are deleted in small batches once a day."
            min={1}
            max={3650}
            w={280}
            defaultValue={prefs.data.retentionDays}
            onBlur={(e) => {
              const days = Number(e.currentTarget.value);
              if (days !== prefs.data.retentionDays) update.mutate({ retentionDays: days });
            }}
          />
          <Select
            label="Default polling frequency for new posture providers"
            w={280}
            allowDeselect={false}
            value={prefs.data.defaultPollInterval}
            onChange={(v) => v && update.mutate({ defaultPollInterval: v as PollInterval })}
            data={PollInterval.options.map((p) => ({ value: p, label: `Every ${p.replace('m', ' min').replace('h', ' h')}` }))}
          />
        </Stack>
      </Paper>
      <Paper withBorder p="md" component="section" aria-labelledby="notify-title">
        <Title order={3} size="h5" id="notify-title" mb="sm">
          Desktop notifications
        </Title>
        <Stack gap="xs">
          <Switch
            label="A provider stops polling"
            checked={notifications.pollFailures}
            onChange={(e) => update.mutate({ notifications: { ...notifications, pollFailures: e.currentTarget.checked } })}
          />
          <Switch
            label="Provider credentials about to expire"
            checked={notifications.expiringCredentials}
            onChange={(e) => update.mutate({ notifications: { ...notifications, expiringCredentials: e.currentTarget.checked } })}
          />
          <Switch
            label="A new P1 incident"
            checked={notifications.p1Incidents}
            onChange={(e) => update.mutate({ notifications: { ...notifications, p1Incidents: e.currentTarget.checked } })}
          />
          {info.data.host === 'web' && (
            <Text size="xs" c="dimmed">
              Notifications are shown by the desktop app; the web host does not show them.
            </Text>
          )}
        </Stack>
      </Paper>
      <Paper withBorder p="md" component="section" aria-labelledby="secrets-title">
        <Title order={3} size="h5" id="secrets-title" mb="sm">
          Secret storage
        </Title>
        <Stack gap="sm">
          <Text size="sm">{storage.explanation}</Text>
          {!storage.protected && (
            <Alert color="orange" icon={<IconAlertTriangle />} title="No keyring on this machine">
              <Switch
                label="Store secrets anyway (obfuscated, not protected: anyone who can read your files can recover them)"
                checked={prefs.data.allowUnprotectedSecrets}
                onChange={(e) => update.mutate({ allowUnprotectedSecrets: e.currentTarget.checked })}
              />
            </Alert>
          )}
        </Stack>
      </Paper>
      {update.isError && <ErrorNotice error={update.error} />}
    </>
  );
}

function ConfigTransfer() {
  const exporter = useExportConfig();
  const importer = useImportConfig();
  const [result, setResult] = useState<ConfigImportResult | null>(null);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="config-title">
      <Title order={3} size="h5" id="config-title" mb="sm">
        Configuration
      </Title>
      <Text size="sm" mb="sm">
        Export providers, checks, detection rules and the enrichment mapping to move them to another machine. Secrets are never exported: re-enter them after an
        import.
      </Text>
      <Group>
        <Button
          variant="default"
          loading={exporter.isPending}
          onClick={() => exporter.mutate(undefined, { onSuccess: ({ text }) => downloadText(text, 'posture-console-config.json', 'application/json') })}
        >
          Export configuration
        </Button>
        <FileButton
          accept="application/json,.json"
          onChange={async (file) => {
            if (!file) return;
            setResult(null);
            importer.mutate(await file.text(), { onSuccess: setResult });
          }}
        >
          {(props) => (
            <Button variant="default" loading={importer.isPending} {...props}>
              Import configuration…
            </Button>
          )}
        </FileButton>
      </Group>
      {importer.isError && <ErrorNotice error={importer.error} />}
      {result && (
        <Alert color="teal" mt="sm" title="Configuration imported">
          {result.providers} providers, {result.checks} checks, {result.rules} rules.
          {result.needSecrets.length > 0 && ` Enter the secrets of: ${result.needSecrets.map((p) => p.name).join(', ')} (Providers > Edit).`}
        </Alert>
      )}
    </Paper>
  );
}

export function SettingsPage() {
  return (
    <Stack gap="md" maw={760}>
      <Title order={2}>Settings</Title>
      <Appearance />
      <DataAndNotifications />
      <ConfigTransfer />
    </Stack>
  );
}
