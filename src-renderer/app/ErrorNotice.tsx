// A domain error as the admin should see it: what happened and the fix. Never a stack trace.
import { Alert, Text } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { ContractError } from '../../src-shared/contract-error';

export function ErrorNotice({ error }: { error: unknown }) {
  const message = error instanceof Error ? error.message : 'Something went wrong.';
  const fix = error instanceof ContractError ? error.fix : undefined;
  return (
    <Alert color="red" icon={<IconAlertCircle />} title={message} role="alert">
      {fix && <Text size="sm">{fix}</Text>}
    </Alert>
  );
}
