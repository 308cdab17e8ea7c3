// A result as a coloured chip with its word and an icon: never colour alone.
import { Badge } from '@mantine/core';
import { IconCheck, IconQuestionMark, IconX } from '@tabler/icons-react';
import type { PostureResult } from '../../../src-shared/schemas/posture-log';
import { resultLabel } from './describe';

const icons = { pass: IconCheck, fail: IconX, unknown: IconQuestionMark } as const;

export function ResultChip({ result, size = 'sm' }: { result: PostureResult; size?: 'sm' | 'md' | 'lg' }) {
  const { label, color } = resultLabel[result];
  const Icon = icons[result];
  return (
    <Badge variant="light" color={color} size={size} leftSection={<Icon size={12} stroke={2.4} aria-hidden />} data-result={result}>
      {label}
    </Badge>
  );
}
