// Confirms a reset of a user's risk score and asks who is resetting it and why; both go into the user's timeline.
import { Alert, Button, Group, Modal, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import { UserReset, type UserSummary } from '../../../src-shared/schemas/users';
import { useAppInfo } from '../../api/app';
import { useResetUser } from '../../api/users';
import { ErrorNotice } from '../../app/ErrorNotice';

export function ResetDialog({ user, opened, onClose }: { user: UserSummary; opened: boolean; onClose: () => void }) {
  const info = useAppInfo();
  const reset = useResetUser();
  const [actor, setActor] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const who = actor ?? info.data?.user ?? '';
  const parsed = UserReset.safeParse({ userId: user.id, actor: who, reason });
  const problem = (field: 'actor' | 'reason') => (touched && !parsed.success ? parsed.error.issues.find((i) => i.path[0] === field)?.message : undefined);

  const close = () => {
    setReason('');
    setTouched(false);
    reset.reset();
    onClose();
  };
  const confirm = async () => {
    setTouched(true);
    if (!parsed.success) return;
    try {
      await reset.mutateAsync(parsed.data);
      close();
    } catch {
      // The mutation keeps the error: the notice below shows it with its fix.
    }
  };

  return (
    <Modal opened={opened} onClose={close} title={`Reset the risk score of ${user.displayName}?`} closeButtonProps={{ 'aria-label': 'Cancel reset' }}>
      <Stack gap="sm">
        <Alert color="yellow" variant="light">
          <Text size="sm">
            The user returns to <b>None</b>. Events that began before now stop counting; anything that happens afterwards (a new alert, a threat that comes
            back) raises the user again. The reset and its reason stay in the timeline.
          </Text>
        </Alert>
        <TextInput label="Reset by" value={who} onChange={(e) => setActor(e.currentTarget.value)} error={problem('actor')} required />
        <Textarea
          label="Reason"
          description="What the investigation found, a ticket number."
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={problem('reason')}
          autosize
          minRows={3}
          required
          data-autofocus
        />
        {reset.isError && <ErrorNotice error={reset.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button color="red" onClick={() => void confirm()} loading={reset.isPending}>
            Reset score
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
