// Everything that happened to the incident, oldest first: time, who, what; and the form to add a note.
import { Badge, Button, Group, Stack, Text, Textarea, Timeline as MantineTimeline } from '@mantine/core';
import { useState } from 'react';
import type { TimelineEntry, TimelineKind } from '../../../src-shared/schemas/incidents';
import { useAddIncidentNote } from '../../api/incidents';
import { ErrorNotice } from '../../app/ErrorNotice';
import { clockTime } from '../dashboard/when';
import { useActor } from './actor';

const kindWords: Record<TimelineKind, string> = {
  created: 'Created',
  alert_linked: 'Alert linked',
  priority_raised: 'Priority raised',
  state_changed: 'State',
  note: 'Note',
  enrichment: 'Enriched',
  enrichment_failed: 'Enrichment failed',
  ioc_added: 'IOC added',
  ioc_pushed: 'IOC pushed',
  ioc_push_failed: 'IOC push failed',
  containment_requested: 'Containment',
  containment_lifted: 'Containment lifted',
  containment_refused: 'Containment refused',
  containment_skipped: 'Containment skipped',
};
const failures = new Set<TimelineKind>(['enrichment_failed', 'ioc_push_failed', 'containment_refused']);

export function Timeline({ entries }: { entries: TimelineEntry[] }) {
  return (
    <MantineTimeline bulletSize={12} lineWidth={2} active={entries.length - 1} aria-label="Timeline">
      {entries.map((entry) => (
        <MantineTimeline.Item
          key={entry.seq}
          color={failures.has(entry.kind) ? 'red' : undefined}
          title={
            <Group gap="xs">
              <Badge size="xs" variant="light" color={failures.has(entry.kind) ? 'red' : 'gray'}>
                {kindWords[entry.kind]}
              </Badge>
              <Text size="xs" c="dimmed">
                {clockTime(Date.parse(entry.at))} · {entry.actor}
              </Text>
            </Group>
          }
        >
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="timeline-entry">
            {entry.message}
          </Text>
        </MantineTimeline.Item>
      ))}
    </MantineTimeline>
  );
}

export function NoteForm({ number }: { number: string }) {
  const actor = useActor();
  const add = useAddIncidentNote();
  const [text, setText] = useState('');
  return (
    <form
      aria-label="Add a note"
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate({ number, actor, text }, { onSuccess: () => setText('') });
      }}
    >
      <Stack gap="xs">
        <Textarea
          label="Note"
          placeholder="What you found or did"
          autosize
          minRows={2}
          maxRows={8}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
        />
        {add.isError && <ErrorNotice error={add.error} />}
        <Group justify="space-between">
          <Text size="xs" c="dimmed">
            Added as {actor || 'unknown user'}.
          </Text>
          <Button type="submit" size="xs" disabled={text.trim() === ''} loading={add.isPending}>
            Add note
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
