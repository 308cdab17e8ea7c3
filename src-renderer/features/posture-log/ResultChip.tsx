// A result as a coloured chip with its word and an icon: never colour alone.
import { Badge } from '@mantine/core';
import { IconCheck, IconQuestionMark, IconX } from '@tabler/icons-react';
import type { CSSProperties } from 'react';
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

/** The CSS variables Mantine's Badge sets for a small light chip of `color`. */
const rowChipStyle = (color: string) =>
  ({
    '--badge-height': 'var(--badge-height-sm)',
    '--badge-padding-x': 'var(--badge-padding-x-sm)',
    '--badge-fz': 'var(--badge-fz-sm)',
    '--badge-bg': `var(--mantine-color-${color}-light)`,
    '--badge-color': `var(--mantine-color-${color}-light-color)`,
    '--badge-bd': 'calc(0.0625rem * var(--mantine-scale)) solid transparent',
  }) as CSSProperties;
const rowChipStyles = Object.fromEntries(Object.entries(resultLabel).map(([result, { color }]) => [result, rowChipStyle(color)])) as Record<
  PostureResult,
  CSSProperties
>;
const badge = Badge.classes;

/**
 * The small chip as the markup Mantine's Badge renders (its classes, attributes and variables), in plain elements: a log
 * row draws one, and a Badge resolves its props, theme and styles in two components each time (a first paint has ~30).
 */
export function RowResultChip({ result }: { result: PostureResult }) {
  const Icon = icons[result];
  return (
    <div
      className={`${badge.root} mantine-Badge-root`}
      data-variant="light"
      data-size="sm"
      data-with-left-section
      data-result={result}
      style={rowChipStyles[result]}
    >
      <span className={`${badge.section} mantine-Badge-section`} data-position="left">
        <Icon size={12} stroke={2.4} aria-hidden />
      </span>
      <span className={`${badge.label} mantine-Badge-label`}>{resultLabel[result].label}</span>
    </div>
  );
}
