// Network containment of the incident's host: what this console last did, what the host reports, and
// Contain / Lift behind a confirmation that names the host (containing cuts it off from everything but Falcon).
import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import type { ContainmentAction, IncidentDetail } from '../../../src-shared/schemas/incidents';
import { useIncidentContainment } from '../../api/incidents';
import { ErrorNotice } from '../../app/ErrorNotice';
import { useActor } from './actor';
import { jsonText } from './HostEnrichment';
import { ContainmentChip } from './IncidentChips';

const CONTAINED = new Set(['contained', 'containment_pending']);

export function Containment({ incident }: { incident: IncidentDetail }) {
  const actor = useActor();
  const containment = useIncidentContainment();
  const [confirming, setConfirming] = useState<ContainmentAction | null>(null);
  const [reason, setReason] = useState('');
  const host = incident.hostname ?? incident.hostDeviceId ?? 'the host';
  const reported = incident.host?.fields.containment_status ?? incident.enrichment.fields.containment_status;
  const hostState = reported === undefined ? null : jsonText(reported);
  const contained = incident.containment === 'requested' || (hostState !== null && CONTAINED.has(hostState));
  const close = () => {
    setConfirming(null);
    setReason('');
    containment.reset();
  };
  const confirm = (action: ContainmentAction) =>
    containment.mutate(
      { number: incident.number, action, actor, ...(reason.trim() ? { reason: reason.trim() } : {}) },
      {
        onSuccess: () => {
          setConfirming(null);
          setReason('');
        },
      },
    );
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <ContainmentChip status={incident.containment} />
        <Text size="sm">
          Host reports:{' '}
          <Text span ff="monospace" size="sm">
            {hostState ?? 'unknown'}
          </Text>
        </Text>
        {incident.autoContain && (
          <Text size="xs" c="dimmed">
            (the rule asked for automatic containment)
          </Text>
        )}
      </Group>
      {!incident.hostDeviceId ? (
        <Text size="sm" c="dimmed">
          The alert named no Falcon host, so there is nothing to contain.
        </Text>
      ) : (
        <Group gap="xs">
          {!contained && (
            <Button size="xs" color="red" onClick={() => setConfirming('contain')}>
              Contain host
            </Button>
          )}
          {contained && (
            <Button size="xs" variant="default" onClick={() => setConfirming('lift')}>
              Lift containment
            </Button>
          )}
        </Group>
      )}
      {containment.isError && !confirming && <ErrorNotice error={containment.error} />}
      <Modal opened={confirming !== null} onClose={close} title={confirming === 'contain' ? `Contain ${host}?` : `Lift containment of ${host}?`}>
        {confirming && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              confirm(confirming);
            }}
            aria-label="Confirm containment"
          >
            <Stack gap="sm">
              {confirming === 'contain' ? (
                <Alert color="red" variant="light">
                  {host} will be cut off from the network; only the Falcon cloud can still reach it. Its user loses their connection until containment is
                  lifted.
                </Alert>
              ) : (
                <Text size="sm">{host} gets its network connection back.</Text>
              )}
              <Textarea
                label="Reason (for the timeline)"
                autosize
                minRows={2}
                value={reason}
                onChange={(e) => setReason(e.currentTarget.value)}
                data-autofocus
              />
              {containment.isError && <ErrorNotice error={containment.error} />}
              <Group justify="flex-end">
                <Button variant="default" onClick={close}>
                  Cancel
                </Button>
                <Button type="submit" color={confirming === 'contain' ? 'red' : undefined} loading={containment.isPending}>
                  {confirming === 'contain' ? `Contain ${host}` : `Lift containment of ${host}`}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Modal>
    </Stack>
  );
}
