// A top-bar tooltip that joins once the first screen has painted: it is a hover away, and the first frame waits for
// everything it renders (a tooltip is several components and floating-position hooks).
import { Tooltip } from '@mantine/core';
import type { ReactElement, ReactNode } from 'react';
import { useAfterFirstPaint } from './after-first-paint';

export function TooltipAfterPaint({ label, children }: { label: ReactNode; children: ReactElement }) {
  if (!useAfterFirstPaint()) return children;
  return (
    <Tooltip label={label} multiline w={360}>
      {children}
    </Tooltip>
  );
}
