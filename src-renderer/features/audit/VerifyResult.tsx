// The answer of Verify: the chain holds, or the first entry that does not, and why.
import { Alert, Text } from '@mantine/core';
import { IconShieldCheck, IconShieldX } from '@tabler/icons-react';
import type { AuditVerifyResult } from '../../../src-shared/schemas/audit';
import { verifyText } from './describe';

export function VerifyResult({ result, onClose }: { result: AuditVerifyResult; onClose: () => void }) {
  const { title, detail } = verifyText(result);
  return (
    <Alert
      color={result.ok ? 'teal' : 'red'}
      icon={result.ok ? <IconShieldCheck /> : <IconShieldX />}
      title={title}
      withCloseButton
      onClose={onClose}
      closeButtonLabel="Dismiss the verify result"
      data-testid="verify-result"
      data-ok={result.ok}
      role={result.ok ? 'status' : 'alert'}
    >
      <Text size="sm">{detail}</Text>
    </Alert>
  );
}
