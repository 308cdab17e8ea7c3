// A user's (or an event's) risk level as a chip with its word.
import { Badge } from '@mantine/core';
import type { UserRiskLevel } from '../../../src-shared/schemas/users';
import { levelLook } from './describe';

export function RiskLevelBadge({ level, size = 'sm' }: { level: UserRiskLevel; size?: 'sm' | 'md' | 'lg' }) {
  const look = levelLook[level];
  return (
    <Badge size={size} variant={level === 'none' ? 'outline' : 'light'} color={look.color} data-testid="risk-level" data-level={level}>
      {look.word}
    </Badge>
  );
}
