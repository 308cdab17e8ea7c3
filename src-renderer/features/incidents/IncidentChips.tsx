// Priority, state, enrichment and containment as chips with their words, never colour alone.
import { Badge, type BadgeProps } from '@mantine/core';

// miw: a table cell may be squeezed, but a chip's word must stay whole (never "ACTI…").
import {
  incidentStateLabels,
  type ContainmentStatus,
  type EnrichmentState,
  type IncidentPriority,
  type IncidentState,
} from '../../../src-shared/schemas/incidents';
import type { RuleAction } from '../../../src-shared/schemas/rules';

const priorityColor: Record<IncidentPriority, string> = { P1: 'red', P2: 'orange', P3: 'yellow', P4: 'blue' };

export function PriorityChip({ priority, ...props }: { priority: IncidentPriority } & BadgeProps) {
  return (
    <Badge miw="max-content" variant="filled" color={priorityColor[priority]} {...props}>
      {priority}
    </Badge>
  );
}

const stateColor: Record<IncidentState, string> = { new: 'blue', in_progress: 'violet', resolved: 'teal', closed: 'gray' };

export function StateChip({ state, ...props }: { state: IncidentState } & BadgeProps) {
  return (
    <Badge miw="max-content" variant="light" color={stateColor[state]} {...props}>
      {incidentStateLabels[state]}
    </Badge>
  );
}

const enrichmentLook: Record<EnrichmentState, { word: string; color: string }> = {
  pending: { word: 'Enrichment pending', color: 'blue' },
  done: { word: 'Enriched', color: 'teal' },
  failed: { word: 'Enrichment failed', color: 'red' },
  skipped: { word: 'Enrichment off', color: 'gray' },
};

export function EnrichmentChip({ state, ...props }: { state: EnrichmentState } & BadgeProps) {
  const look = enrichmentLook[state];
  return (
    <Badge miw="max-content" variant="light" color={look.color} {...props}>
      {look.word}
    </Badge>
  );
}

export const containmentWords: Record<ContainmentStatus, { word: string; color: string }> = {
  none: { word: 'Not contained by this console', color: 'gray' },
  auto_pending: { word: 'Auto-containment pending', color: 'orange' },
  skipped: { word: 'Auto-containment skipped', color: 'gray' },
  requested: { word: 'Containment requested', color: 'red' },
  lift_requested: { word: 'Lift requested', color: 'blue' },
  refused: { word: 'Containment refused', color: 'red' },
};

export function ContainmentChip({ status, ...props }: { status: ContainmentStatus } & BadgeProps) {
  const look = containmentWords[status];
  return (
    <Badge miw="max-content" variant="light" color={look.color} {...props}>
      {look.word}
    </Badge>
  );
}

export function ActionChip({ action, ...props }: { action: RuleAction } & BadgeProps) {
  return action === 'create_incident' ? (
    <Badge miw="max-content" variant="light" color="indigo" {...props}>
      Create incident
    </Badge>
  ) : (
    <Badge miw="max-content" variant="outline" color="gray" {...props}>
      Log only
    </Badge>
  );
}
