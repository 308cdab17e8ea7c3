// A posture result as a chip with its word, never colour alone.
import { Badge, type BadgeProps } from '@mantine/core';
import type { PostureResult } from '../../../src-shared/schemas/posture-log';

export const resultLook: Record<PostureResult, { word: string; color: string }> = {
  pass: { word: 'Pass', color: 'teal' },
  fail: { word: 'Fail', color: 'red' },
  unknown: { word: 'Unknown', color: 'gray' },
};

export function ResultBadge({ result, ...props }: { result: PostureResult | null } & BadgeProps) {
  if (result === null)
    return (
      <Badge variant="outline" color="gray" {...props}>
        New
      </Badge>
    );
  const look = resultLook[result];
  return (
    <Badge variant="light" color={look.color} {...props}>
      {look.word}
    </Badge>
  );
}
