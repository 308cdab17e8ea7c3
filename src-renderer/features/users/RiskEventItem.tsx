// One risk event: what happened, on which device, when, whether it counts; its evidence opens in place.
import { Anchor, Badge, Button, Code, Collapse, DataList, Group, Paper, Stack, Text, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { behaviorLabels, type RiskEvent, type RiskEvidence } from '../../../src-shared/schemas/users';
import { formatTime } from '../posture-log/describe';
import { statusLook } from './describe';
import { RiskLevelBadge } from './RiskLevelBadge';

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}

const none = (
  <Text span size="sm" c="dimmed">
    not reported
  </Text>
);

function EvidenceItems({ evidence, providerName }: { evidence: RiskEvidence; providerName: (id: string) => string }) {
  switch (evidence.kind) {
    case 's1_threat':
      return (
        <>
          <Item label="Provider">{providerName(evidence.providerId)}</Item>
          <Item label="Agent id">
            <Code>{evidence.agentId}</Code>
          </Item>
          <Item label="Infected">{evidence.infected === null ? none : evidence.infected ? 'yes' : 'no'}</Item>
          <Item label="Active threats">{evidence.activeThreats ?? none}</Item>
          <Item label="Logged-in user">{evidence.reportedUser ?? none}</Item>
        </>
      );
    case 'falcon_alert':
      return (
        <>
          <Item label="Alert">{evidence.name ?? none}</Item>
          <Item label="Severity">{evidence.severity}</Item>
          <Item label="Tactic / technique">{[evidence.tactic, evidence.technique].filter(Boolean).join(' / ') || none}</Item>
          <Item label="Alert user">{evidence.alertUser ?? none}</Item>
          <Item label="Composite id">
            <Code style={{ wordBreak: 'break-all' }}>{evidence.compositeId}</Code>
          </Item>
          <Item label="Detections">{providerName(evidence.integrationId)}</Item>
          {evidence.falconLink && (
            <Item label="Falcon console">
              <Anchor href={evidence.falconLink} target="_blank" rel="noreferrer noopener" size="sm">
                Open the alert in Falcon
              </Anchor>
            </Item>
          )}
        </>
      );
    case 'posture_check_failing':
      return (
        <>
          <Item label="Check">
            {evidence.checkName} ({providerName(evidence.providerId)})
          </Item>
          <Item label="Failing since">{formatTime(evidence.failingSince)}</Item>
          <Item label="Expected">{evidence.expected ?? none}</Item>
          <Item label="Received">{evidence.received ?? none}</Item>
        </>
      );
  }
}

export function RiskEventItem({ event, providerName }: { event: RiskEvent; providerName: (id: string) => string }) {
  // What makes the user's level now is shown at once; the history's evidence opens on request.
  const [open, { toggle }] = useDisclosure(event.status === 'active');
  const status = statusLook[event.status];
  const evidenceId = `evidence-${event.id}`;
  return (
    <Paper withBorder p="sm" data-testid="risk-event" data-behavior={event.behavior} data-status={event.status}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={2}>
          <Group gap="xs">
            <RiskLevelBadge level={event.level} />
            <Text size="sm" fw={600}>
              {behaviorLabels[event.behavior]}
            </Text>
          </Group>
          <Text size="sm" data-testid="event-signal">
            {event.signal}
          </Text>
          <Text size="xs" c="dimmed">
            {event.deviceName ?? 'Device unknown'} · {formatTime(event.occurredAt)}
            {event.ongoing
              ? ' · still observed'
              : event.endedAt !== null && event.endedAt !== event.occurredAt
                ? ` · last observed ${formatTime(event.endedAt)}`
                : ''}
          </Text>
        </Stack>
        <Tooltip label={status.hint} multiline w={260}>
          <Badge size="sm" variant={event.status === 'active' ? 'light' : 'outline'} color={status.color}>
            {status.word}
          </Badge>
        </Tooltip>
      </Group>
      <Button
        variant="subtle"
        size="compact-xs"
        mt={4}
        leftSection={open ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
        onClick={toggle}
        aria-expanded={open}
        aria-controls={evidenceId}
      >
        Evidence
      </Button>
      <Collapse expanded={open} id={evidenceId}>
        <DataList withDivider labelWidth={150} mt="xs" aria-label="Evidence">
          <Item label="Device">
            {event.deviceKey ? (
              <Anchor component={Link} to={`/devices?device=${encodeURIComponent(event.deviceKey)}`} size="sm">
                {event.deviceName ?? event.deviceKey}
              </Anchor>
            ) : (
              (event.deviceName ?? none)
            )}
          </Item>
          <Item label="Signal">{event.signal}</Item>
          <Item label="Observed">{formatTime(event.occurredAt)}</Item>
          <EvidenceItems evidence={event.evidence} providerName={providerName} />
        </DataList>
      </Collapse>
    </Paper>
  );
}
