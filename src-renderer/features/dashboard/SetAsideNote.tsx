// On a provider card: records the last poll could not read (set aside, or read as unknown), when there were any.
import { Text, Tooltip } from '@mantine/core';
import { setAsideText, unreadableText } from '../../../src-shared/poll-tally-text';
import type { PollTally } from '../../../src-shared/schemas/posture';

const EXPLAINED =
  'The provider sent records that could not be read. Those without a device id were set aside (no device row); the devices of the others have unknown results, with the field that could not be read as the reason (see the posture log). The poll itself succeeded.';

export function SetAsideNote({ tally }: { tally: PollTally | undefined }) {
  const words = tally ? [setAsideText(tally.setAside), unreadableText(tally.unreadable)].filter(Boolean) : [];
  if (words.length === 0) return null;
  return (
    <Tooltip label={EXPLAINED} multiline w={320}>
      <Text size="xs" c="orange" data-testid="set-aside" tabIndex={0}>
        Last poll: {words.join(', ')}.
      </Text>
    </Tooltip>
  );
}
