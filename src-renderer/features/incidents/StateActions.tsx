// The state transitions this incident allows, as buttons; resolving and reopening ask for the reason first.
import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { incidentStateLabels, incidentTransitions, transitionNeedsReason, type Incident, type IncidentState } from '../../../src-shared/schemas/incidents';
import { useChangeIncidentState } from '../../api/incidents';
import { ErrorNotice } from '../../app/ErrorNotice';
import { useActor } from './actor';

function verb(from: IncidentState, to: IncidentState): string {
  if (from === 'resolved' && to === 'in_progress') return 'Reopen';
  if (to === 'in_progress') return 'Start work (In Progress)';
  if (to === 'resolved') return 'Resolve';
  if (to === 'closed') return 'Close';
  return `Move to ${incidentStateLabels[to]}`;
}

export function StateActions({ incident }: { incident: Incident }) {
  const actor = useActor();
  const change = useChangeIncidentState();
  const [asking, setAsking] = useState<IncidentState | null>(null);
  const [reason, setReason] = useState('');
  const targets = incidentTransitions[incident.state];
  const move = (to: IncidentState, why?: string) =>
    change.mutate(
      { number: incident.number, to, actor, ...(why ? { reason: why } : {}) },
      {
        onSuccess: () => {
          setAsking(null);
          setReason('');
        },
      },
    );
  if (targets.length === 0)
    return (
      <Text size="sm" c="dimmed">
        Closed incidents are final.
      </Text>
    );
  return (
    <Stack gap={4}>
      <Group gap="xs">
        {targets.map((to) => (
          <Button
            key={to}
            size="xs"
            variant={to === 'closed' ? 'default' : 'filled'}
            loading={change.isPending && change.variables?.to === to && !asking}
            onClick={() => (transitionNeedsReason(incident.state, to) ? setAsking(to) : move(to))}
          >
            {verb(incident.state, to)}
          </Button>
        ))}
      </Group>
      {change.isError && !asking && <ErrorNotice error={change.error} />}
      <Modal
        opened={asking !== null}
        onClose={() => {
          setAsking(null);
          change.reset();
        }}
        title={asking ? `${verb(incident.state, asking)} ${incident.number}` : ''}
      >
        {asking && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              move(asking, reason.trim());
            }}
            aria-label="State change reason"
          >
            <Stack gap="sm">
              <Textarea
                label={asking === 'resolved' ? 'What resolved it?' : 'Why is it being reopened?'}
                required
                autosize
                minRows={3}
                value={reason}
                onChange={(e) => setReason(e.currentTarget.value)}
                data-autofocus
              />
              {change.isError && <ErrorNotice error={change.error} />}
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setAsking(null)}>
                  Cancel
                </Button>
                <Button type="submit" disabled={reason.trim() === ''} loading={change.isPending}>
                  {verb(incident.state, asking)}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Modal>
    </Stack>
  );
}
