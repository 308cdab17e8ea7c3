// A provider's health chip, the same on every screen: the word in full (never cut), the reason on hover.
import { Badge, Tooltip } from '@mantine/core';
import type { ProviderStatus } from '../../../src-shared/schemas/providers';
import { healthLook } from './describe';

export function HealthBadge({ status }: { status: ProviderStatus }) {
  const look = healthLook[status.state];
  return (
    <Tooltip label={status.detail} multiline w={320}>
      {/* max-content: a narrow table column wraps its neighbours rather than cutting the word. */}
      <Badge variant="light" color={look.color} miw="max-content" style={{ flexShrink: 0 }} data-testid="health" data-state={status.state}>
        {look.label}
      </Badge>
    </Tooltip>
  );
}
