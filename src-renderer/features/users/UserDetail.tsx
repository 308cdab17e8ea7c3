// One user: level and names, the devices tied to them, their risk events with evidence, and the timeline with resets.
import { Anchor, Button, Drawer, Group, Loader, Paper, Stack, Table, Tabs, Text, Timeline, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconAlertTriangle, IconCircleCheck, IconRotate } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { UserDetail as Detail, UserTimelineEntry } from '../../../src-shared/schemas/users';
import { useUser } from '../../api/users';
import { ErrorNotice } from '../../app/ErrorNotice';
import { formatTime } from '../posture-log/describe';
import { ResetDialog } from './ResetDialog';
import { RiskEventItem } from './RiskEventItem';
import { RiskLevelBadge } from './RiskLevelBadge';
import { countOf } from '../../app/numbers';

const bullets: Record<UserTimelineEntry['kind'], typeof IconRotate> = { raised: IconAlertTriangle, cleared: IconCircleCheck, reset: IconRotate };

function Devices({ detail, providerName }: { detail: Detail; providerName: (id: string) => string }) {
  if (detail.devices.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No device in the current inventory reports this user (the events below still name their devices).
      </Text>
    );
  return (
    <Table aria-label="Devices of this user">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Hostname</Table.Th>
          <Table.Th>Serial</Table.Th>
          <Table.Th>Platform</Table.Th>
          <Table.Th>Reported by</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {detail.devices.map((d) => (
          <Table.Tr key={d.deviceKey} data-testid="user-device">
            <Table.Td>
              <Anchor component={Link} to={`/devices?device=${encodeURIComponent(d.deviceKey)}`} size="sm">
                {d.hostname ?? d.deviceKey}
              </Anchor>
            </Table.Td>
            <Table.Td>
              <Text size="sm" ff="monospace">
                {d.serial ?? '—'}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm">{d.platform ?? '—'}</Text>
            </Table.Td>
            <Table.Td>
              {d.sources.map((s) => (
                <Text key={`${s.providerId}:${s.recordId}`} size="xs">
                  {providerName(s.providerId)}: {s.reportedAs}
                </Text>
              ))}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function UserTimeline({ entries }: { entries: UserTimelineEntry[] }) {
  if (entries.length === 0)
    return (
      <Text size="sm" c="dimmed">
        Nothing has happened to this user yet.
      </Text>
    );
  return (
    <Timeline bulletSize={22} lineWidth={2} aria-label="Timeline">
      {entries.map((e, i) => {
        const Bullet = bullets[e.kind];
        return (
          <Timeline.Item
            key={`${e.kind}-${e.eventId ?? ''}-${e.at}-${i}`}
            bullet={<Bullet size={12} />}
            title={e.text}
            data-testid="timeline-entry"
            data-kind={e.kind}
          >
            <Text size="xs" c="dimmed">
              {formatTime(e.at)}
            </Text>
            {e.reason && (
              <Text size="sm" data-testid="reset-reason">
                Reason: {e.reason}
              </Text>
            )}
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}

export function UserDetailDrawer({ userId, providerName, onClose }: { userId: string | null; providerName: (id: string) => string; onClose: () => void }) {
  const detail = useUser(userId);
  const [resetting, reset] = useDisclosure(false);
  const data = detail.data;
  return (
    <Drawer
      opened={userId !== null}
      onClose={onClose}
      position="right"
      size="xl"
      closeButtonProps={{ 'aria-label': 'Close user' }}
      title={
        <Title order={3} size="h4">
          {data?.user.displayName ?? userId}
        </Title>
      }
    >
      {detail.isPending && <Loader aria-label="Loading user" />}
      {detail.isError && <ErrorNotice error={detail.error} />}
      {data && (
        <Stack gap="md" data-testid="user-detail">
          <Group justify="space-between">
            <Group gap="sm">
              <RiskLevelBadge level={data.user.level} size="lg" />
              <Text size="sm">
                {countOf(data.user.activeEvents, 'active event')} · {countOf(data.user.devices, 'device')}
              </Text>
            </Group>
            <Button color="red" variant="light" leftSection={<IconRotate size={16} />} onClick={reset.open} disabled={data.user.level === 'none'}>
              Reset risk score
            </Button>
          </Group>
          <Paper withBorder p="sm">
            <Text size="xs" c="dimmed">
              Identity
            </Text>
            <Text size="sm" ff="monospace">
              {data.user.id}
            </Text>
            <Text size="xs" c="dimmed" mt={4}>
              Reported as
            </Text>
            <Text size="sm">{data.user.aliases.join(', ') || '—'}</Text>
          </Paper>
          <Tabs defaultValue="events" keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="events">Events ({data.events.length})</Tabs.Tab>
              <Tabs.Tab value="devices">Devices ({data.devices.length})</Tabs.Tab>
              <Tabs.Tab value="timeline">Timeline ({data.timeline.length})</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="events" pt="sm">
              <Stack gap="xs">
                {data.events.length === 0 && (
                  <Text size="sm" c="dimmed">
                    No risk event has been recorded for this user.
                  </Text>
                )}
                {data.events.map((e) => (
                  <RiskEventItem key={e.id} event={e} providerName={providerName} />
                ))}
              </Stack>
            </Tabs.Panel>
            <Tabs.Panel value="devices" pt="sm">
              <Devices detail={data} providerName={providerName} />
            </Tabs.Panel>
            <Tabs.Panel value="timeline" pt="sm">
              <UserTimeline entries={data.timeline} />
            </Tabs.Panel>
          </Tabs>
          <ResetDialog user={data.user} opened={resetting} onClose={reset.close} />
        </Stack>
      )}
    </Drawer>
  );
}
