// Push an IOC to Falcon through one detections integration; validated as typed by the IocInput schema, and
// the outcome (created, or an identical live indicator already there) said plainly.
import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, Group, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useForm, type FieldPath } from 'react-hook-form';
import { ContractError } from '../../../src-shared/contract-error';
import { IocInput, type IocInputDraft, type IocPushResult } from '../../../src-shared/schemas/incidents';
import { useDetectionIntegrations, usePushIoc } from '../../api/incidents';
import { ErrorNotice } from '../../app/ErrorNotice';
import { useActor } from '../incidents/actor';
import { iocDefaults, IocFields } from './IocFields';

const formFields = ['type', 'value', 'action', 'severity', 'description', 'source_incident', 'platforms', 'expiration_days'];

function PushOutcome({ result }: { result: IocPushResult }) {
  if (result.status === 'created')
    return (
      <Alert color="teal" title="Created in Falcon" data-testid="push-result" role="status">
        <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
          {result.ioc.type} {result.ioc.value}
        </Text>
        <Text size="sm">
          Action {result.ioc.action}
          {result.ioc.severity ? `, severity ${result.ioc.severity}` : ''}, on {result.ioc.platforms.join(', ')}
          {result.ioc.expiration ? `, expires ${new Date(result.ioc.expiration).toLocaleDateString()}` : ', no expiry'}.
        </Text>
      </Alert>
    );
  return (
    <Alert color="yellow" title="Duplicate: nothing was created" data-testid="push-result" role="status">
      <Text size="sm">
        Falcon already holds a live {result.type} indicator{' '}
        <Text span ff="monospace">
          {result.value}
        </Text>{' '}
        (id {result.existingId}). Delete it first to push it again with other settings.
      </Text>
    </Alert>
  );
}

export function IocPushForm() {
  const actor = useActor();
  const integrations = useDetectionIntegrations();
  const [chosen, setChosen] = useState<string | null>(null);
  const push = usePushIoc();
  const { control, register, formState, setError, handleSubmit } = useForm<IocInputDraft, unknown, IocInput>({
    resolver: zodResolver(IocInput),
    mode: 'onChange',
    defaultValues: iocDefaults,
  });
  const options = integrations.data ?? [];
  const integrationId = chosen ?? options[0]?.value ?? null;

  const submit = handleSubmit(async (input) => {
    if (!integrationId) return;
    try {
      await push.mutateAsync({ integrationId, input, actor });
    } catch (error) {
      // The core re-validates; its field issues come back as `input.<field>`.
      if (!(error instanceof ContractError) || !error.issues) return;
      for (const issue of error.issues) {
        const field = issue.path.replace(/^input\./, '').split('.')[0] ?? '';
        if (formFields.includes(field)) setError(field as FieldPath<IocInputDraft>, { type: 'server', message: issue.message });
      }
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-label="Push an IOC">
      <Stack gap="sm">
        <Select
          label="Integration"
          description="The Falcon detections connection whose tenant receives the indicator (needs IOC Management: Write)."
          data={options}
          value={integrationId}
          onChange={setChosen}
          allowDeselect={false}
          required
          error={integrations.data && options.length === 0 ? 'Add a CrowdStrike Falcon detections integration on Providers first.' : undefined}
        />
        <IocFields control={control} register={register} errors={formState.errors} withSourceIncident />
        {push.isError && !(push.error instanceof ContractError && push.error.issues) && <ErrorNotice error={push.error} />}
        {push.data && <PushOutcome result={push.data} />}
        <Group justify="space-between">
          <Text size="xs" c="dimmed">
            Pushed as {actor || 'unknown user'}. Test with a known-benign value and remove it afterwards.
          </Text>
          <Button type="submit" loading={push.isPending} disabled={!integrationId}>
            Push to Falcon
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
