// The global safety switch for rules' "contain the host automatically": off unless an admin turns it on,
// and turning it on asks for confirmation because it lets the poller cut hosts off the network unattended.
import { Alert, Button, Group, Loader, Modal, Stack, Switch, Text } from '@mantine/core';
import { useState } from 'react';
import { useContainmentSettings, useSaveContainmentSettings } from '../../api/incidents';
import { ErrorNotice } from '../../app/ErrorNotice';
import { clockTime } from '../dashboard/when';
import { useActor } from '../incidents/actor';

export function AutoContainmentSwitch() {
  const actor = useActor();
  const settings = useContainmentSettings();
  const save = useSaveContainmentSettings();
  const [confirming, setConfirming] = useState(false);
  if (settings.isPending) return <Loader size="sm" aria-label="Loading containment settings" />;
  if (settings.isError) return <ErrorNotice error={settings.error} />;
  const on = settings.data.autoContainEnabled;
  const set = (autoContainEnabled: boolean) => save.mutate({ autoContainEnabled, actor }, { onSuccess: () => setConfirming(false) });
  return (
    <Stack gap="xs">
      <Alert color="orange" variant="light" title="Automatic containment isolates hosts without anyone confirming">
        <Text size="sm">
          A rule with &quot;Contain the host automatically&quot; contains the alert&apos;s host as soon as its incident is created — but only while this switch
          is on. A contained host can reach nothing but the Falcon cloud. Leave it off until the rules that ask for it have been dry-run and back-tested.
        </Text>
      </Alert>
      <Group gap="sm">
        <Switch
          label="Allow rules to contain hosts automatically"
          checked={on}
          disabled={save.isPending}
          onChange={(e) => (e.currentTarget.checked ? setConfirming(true) : set(false))}
        />
        <Text size="sm" fw={600} c={on ? 'red.8' : 'dimmed'} data-testid="auto-contain-state">
          {on ? 'On' : 'Off'}
        </Text>
      </Group>
      {settings.data.changedAt && (
        <Text size="xs" c="dimmed">
          Last changed by {settings.data.changedBy ?? 'unknown'} {clockTime(Date.parse(settings.data.changedAt))}.
        </Text>
      )}
      {save.isError && !confirming && <ErrorNotice error={save.error} />}
      <Modal opened={confirming} onClose={() => setConfirming(false)} title="Turn on automatic containment?">
        <Stack gap="sm">
          <Text size="sm">Every rule with automatic containment will isolate the host of each new incident it creates, immediately and without review.</Text>
          {save.isError && <ErrorNotice error={save.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              Keep it off
            </Button>
            <Button color="red" loading={save.isPending} onClick={() => set(true)}>
              Turn on
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
