// The device's current results, and the match explained: why this device is one device, what each provider contributed or why it did not, and each record's posture.
import { Alert, Anchor, Badge, Group, List, Loader, Paper, SimpleGrid, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { Link } from 'react-router';
import type { DeviceRecord, PostureDevice } from '../../../src-shared/schemas/posture';
import { useDevice } from '../../api/posture';
import { ErrorNotice } from '../../app/ErrorNotice';
import { postureLogLink } from '../../state/posture-log-filters';
import { useNow } from '../dashboard/when';
import { CurrentResultsTable } from './CurrentResults';
import { identityFacts, outcomeLook, postureFacts, roleLook, serialStatusLook } from './describe';

export const deviceName = (d: Pick<PostureDevice, 'hostname' | 'serial' | 'key'>) => d.hostname ?? d.serial ?? d.key;

function Facts({ facts, label }: { facts: [string, string][]; label: string }) {
  return (
    <Table aria-label={label} withRowBorders={false} verticalSpacing={2}>
      <Table.Tbody>
        {facts.map(([name, value]) => (
          <Table.Tr key={name}>
            <Table.Th w={170} fw={500} c="dimmed" scope="row">
              {name}
            </Table.Th>
            <Table.Td style={{ overflowWrap: 'anywhere' }}>{value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function RecordCard({ record, providerName, now, serialProblem }: { record: DeviceRecord; providerName: string; now: number; serialProblem: string | null }) {
  const o = record.observation;
  const role = roleLook[record.role];
  return (
    <Paper withBorder p="sm" component="section" aria-label={`${providerName} record ${o.recordId}`}>
      <Stack gap={6}>
        <Group justify="space-between">
          <Text fw={600} size="sm">
            {providerName}
          </Text>
          <Tooltip label={role.hint}>
            <Badge variant="light" color={role.color}>
              {role.word}
            </Badge>
          </Tooltip>
        </Group>
        {record.note && record.note !== serialProblem && <Text size="xs">{record.note}</Text>}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <Facts facts={postureFacts(o, now)} label={`Posture reported by ${providerName}`} />
          <Facts facts={identityFacts(o, now)} label={`Identity of the ${providerName} record`} />
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}

export function DeviceDetail({ deviceKey, providerNames }: { deviceKey: string; providerNames: Map<string, string> }) {
  const detail = useDevice(deviceKey);
  const now = useNow(60_000);
  if (detail.isPending) return <Loader aria-label="Loading the device" />;
  if (detail.isError) return <ErrorNotice error={detail.error} />;
  const { device, explanation } = detail.data;
  const nameOf = (id: string) => providerNames.get(id) ?? 'Removed provider';
  const serialLook = serialStatusLook[device.serialStatus];
  // A trusted serial finds every row of this machine; otherwise the hostname is the narrower search.
  const logQuery = device.serialStatus === 'valid' ? device.serial : (device.hostname ?? device.serial);
  return (
    <Stack gap="md" data-testid="device-detail">
      <Alert color={explanation.matchedBy === 'serial' ? 'teal' : 'orange'} title="How this device was matched" data-testid="match-summary">
        {explanation.summary}
      </Alert>
      <Group gap="xs">
        <Text size="sm">Serial</Text>
        <Text size="sm" ff="monospace">
          {device.serial ?? 'none'}
        </Text>
        <Tooltip label={serialLook.hint} multiline w={300}>
          <Badge variant="light" color={serialLook.color}>
            {serialLook.word} serial
          </Badge>
        </Tooltip>
        {device.platform && (
          <Badge variant="outline" color="gray">
            {device.platform}
          </Badge>
        )}
      </Group>
      {logQuery && (
        <Anchor component={Link} to={postureLogLink({ q: logQuery })} size="sm">
          Show this device’s rows in the posture log
        </Anchor>
      )}

      <section aria-labelledby="device-current">
        <Title order={3} size="h5" id="device-current" mb={6}>
          Current results
        </Title>
        <CurrentResultsTable rows={detail.data.current} providerName={nameOf} now={now} />
      </section>

      <section aria-labelledby="match-providers">
        <Title order={3} size="h5" id="match-providers" mb={6}>
          Per provider
        </Title>
        <List listStyleType="none" spacing={6}>
          {explanation.providers.map((p) => {
            const look = outcomeLook[p.outcome];
            return (
              <List.Item key={p.providerId} data-testid="provider-outcome" data-outcome={p.outcome}>
                <Group gap="xs" wrap="nowrap" align="flex-start">
                  <Tooltip label={look.hint} multiline w={280}>
                    <Badge variant="light" color={look.color} miw={120} style={{ flexShrink: 0 }}>
                      {look.word}
                    </Badge>
                  </Tooltip>
                  <div>
                    <Text size="sm" fw={600}>
                      {nameOf(p.providerId)}
                    </Text>
                    <Text size="sm">{p.detail}</Text>
                  </div>
                </Group>
              </List.Item>
            );
          })}
        </List>
      </section>

      {explanation.choices.length > 0 && (
        <section aria-labelledby="match-choices">
          <Title order={3} size="h5" id="match-choices" mb={6}>
            Choices made
          </Title>
          <List size="sm" spacing={4}>
            {explanation.choices.map((c) => (
              <List.Item key={c}>{c}</List.Item>
            ))}
          </List>
        </section>
      )}

      {device.possibleMatches.length > 0 && (
        <section aria-labelledby="match-possible">
          <Title order={3} size="h5" id="match-possible" mb={6}>
            Possible matches (not trusted by checks)
          </Title>
          <List size="sm" spacing={4}>
            {device.possibleMatches.map((m) => (
              <List.Item key={`${m.providerId}:${m.recordId}`}>
                {nameOf(m.providerId)} record {m.recordId} has the same {m.via === 'mac' ? 'MAC address' : 'hostname'} ({m.value}).
              </List.Item>
            ))}
          </List>
        </section>
      )}

      <section aria-labelledby="match-records">
        <Title order={3} size="h5" id="match-records" mb={6}>
          Provider records
        </Title>
        <Stack gap="sm">
          {device.records.map((r) => (
            <RecordCard
              key={`${r.observation.providerId}:${r.observation.recordId}`}
              record={r}
              providerName={nameOf(r.observation.providerId)}
              now={now}
              serialProblem={device.serialProblem}
            />
          ))}
        </Stack>
      </section>
    </Stack>
  );
}
