import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { PollTally } from '../../../src-shared/schemas/posture';
import { SetAsideNote } from './SetAsideNote';

const tally = (setAside: number, unreadable: number): PollTally => ({ devices: 500, checks: 2, evaluations: 1000, changes: 3, setAside, unreadable });
const show = (t: PollTally | undefined) =>
  render(
    <MantineProvider>
      <SetAsideNote tally={t} />
    </MantineProvider>,
  );

describe('the set-aside note on a provider card', () => {
  it('names the records the last poll set aside and those read as unknown', () => {
    show(tally(1200, 1));
    expect(screen.getByTestId('set-aside').textContent).toBe("Last poll: 1,200 records set aside, 1 unreadable record (its device's checks are unknown).");
  });

  it('says nothing when every record was read, or before the first poll', () => {
    show(tally(0, 0));
    show(undefined);
    expect(screen.queryByTestId('set-aside')).toBeNull();
  });
});
