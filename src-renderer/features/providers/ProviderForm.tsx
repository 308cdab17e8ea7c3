// Add / edit a provider. Mirrors the vendors' setup steps (where to find each value), validates as
// you type with the contract's own schema, and treats secrets as write-only.
import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, Group, List, PasswordInput, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useEffect } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import type { ProviderFormValues } from './sections/section';
import { ContractError } from '../../../src-shared/contract-error';
import { FalconRegion, PollInterval, ProviderInput, falconRegionHosts, type ProviderKind, type ProviderView } from '../../../src-shared/schemas/providers';
import { usePreferences } from '../../api/preferences';
import { useSaveProvider } from '../../api/providers';
import { ErrorNotice } from '../../app/ErrorNotice';
import { formSections } from './sections';

type FormValues = ProviderFormValues;

const falconDefaults: Partial<Record<ProviderKind, FormValues>> = {
  'crowdstrike-zta': { kind: 'crowdstrike-zta', name: '', clientId: '', clientSecret: '', customerId: '', region: 'us-1', pollInterval: '1h' },
  'crowdstrike-falcon-incidents': {
    kind: 'crowdstrike-falcon-incidents',
    name: '',
    clientId: '',
    clientSecret: '',
    region: 'us-1',
    pollInterval: '5m',
    hostEnrichment: true,
    iocPushOnResolve: false,
  },
};

const regionOptions = FalconRegion.options.map((r) => ({
  value: r,
  label: r === 'custom' ? 'Custom base URL' : `${r} — ${falconRegionHosts[r].replace('https://', '')}`,
}));
const pollOptions = PollInterval.options.map((p) => ({ value: p, label: `Every ${p.replace('m', ' min').replace('h', ' h')}` }));

const falconSetupSteps: Partial<Record<ProviderKind, string[]>> = {
  'crowdstrike-zta': [
    'In the Falcon console go to Support and resources > API Clients and Keys > Add new API client.',
    'Enable Read for Zero Trust Assessment and Hosts, then Add.',
    'Copy the Client ID, the Client Secret (shown only once) and the Base URL (its cloud is the region below).',
    'Go to Host setup and management > Sensor downloads and copy your Customer ID.',
  ],
  'crowdstrike-falcon-incidents': [
    'In the Falcon console go to Support and resources > API Clients and Keys > Add new API client.',
    'Grant Alerts: Read, Hosts: Read, IOC Management: Read + Write (and Hosts: Write only if hosts may be contained).',
    'Copy the Client ID and the Client Secret (shown only once), and note the Falcon cloud region.',
  ],
};

const defaultsOf = (kind: ProviderKind): FormValues => (formSections[kind]?.defaults ?? falconDefaults[kind])!;
const setupStepsOf = (kind: ProviderKind): string[] => formSections[kind]?.steps ?? falconSetupSteps[kind] ?? [];

export function ProviderForm({ kind, existing, onDone }: { kind: ProviderKind; existing?: ProviderView; onDone: () => void }) {
  const save = useSaveProvider();
  const defaultPoll = usePreferences().data?.defaultPollInterval;
  const initial = kind !== 'crowdstrike-falcon-incidents' && defaultPoll ? { ...defaultsOf(kind), pollInterval: defaultPoll } : defaultsOf(kind);
  const form = useForm<FormValues>({
    resolver: zodResolver(ProviderInput),
    mode: 'onChange',
    defaultValues: existing ? ({ ...existing.config } as FormValues) : initial,
  });
  const { register, control, formState, setError, handleSubmit } = form;
  // Preferences may arrive after the form opened: adopt the default unless the admin already chose.
  useEffect(() => {
    if (existing || kind === 'crowdstrike-falcon-incidents' || !defaultPoll) return;
    if (!form.getFieldState('pollInterval').isDirty) form.resetField('pollInterval', { defaultValue: defaultPoll });
  }, [defaultPoll, existing, kind, form]);
  const region = useWatch({ control, name: 'region' });
  const baseUrl = useWatch({ control, name: 'baseUrl' });
  const errors = formState.errors as Record<string, { message?: string } | undefined>;
  const err = (name: string) => errors[name]?.message;
  const changedAt = existing?.secret.changedAt;
  const secretHint = existing?.secret.configured ? `Stored${changedAt ? ` ${new Date(changedAt).toLocaleDateString()}` : ''} — leave blank to keep` : undefined;

  const submit = handleSubmit(async (values) => {
    try {
      await save.mutateAsync(values as ProviderInput);
      onDone();
    } catch (error) {
      // Server-side checks (unique name, secret required) come back as field issues.
      if (error instanceof ContractError && error.issues) for (const issue of error.issues) setError(issue.path as never, { message: issue.message });
    }
  });

  const isFalcon = kind === 'crowdstrike-zta' || kind === 'crowdstrike-falcon-incidents';
  const Section = formSections[kind]?.Fields;
  return (
    <form onSubmit={submit} noValidate aria-label="Provider settings">
      <Stack gap="sm">
        <Alert variant="light" title="Where to find these values">
          <List size="sm" type="ordered">
            {setupStepsOf(kind).map((s) => (
              <List.Item key={s}>{s}</List.Item>
            ))}
          </List>
        </Alert>
        <TextInput
          label="Name"
          description="Any name; it identifies this connection throughout the console."
          required
          {...register('name')}
          error={err('name')}
        />
        {isFalcon && (
          <>
            <TextInput label="Client ID" required autoComplete="off" spellCheck={false} {...register('clientId')} error={err('clientId')} />
            <PasswordInput
              label="Client secret"
              required={!existing}
              autoComplete="new-password"
              placeholder={secretHint}
              description="Write-only: it is encrypted and never shown again."
              {...register('clientSecret')}
              error={err('clientSecret')}
            />
            <Controller
              control={control}
              name="region"
              render={({ field }) => (
                <Select
                  label="Falcon cloud"
                  description="Every request (Test, polls, detections, IOCs, containment) goes to this cloud’s API host, or with Custom to the base URL you enter. If the credentials belong to another cloud, Test finds it and switches."
                  data={regionOptions}
                  allowDeselect={false}
                  value={field.value as string}
                  onChange={(next) => {
                    field.onChange(next);
                    // A named cloud has its own host: a base URL typed for Custom must not ride along hidden.
                    if (next !== 'custom') form.setValue('baseUrl', undefined, { shouldValidate: true });
                  }}
                  error={err('region')}
                />
              )}
            />
            {/* Shown whenever it holds a value, so a refused region + base URL pair shows its message. */}
            {(region === 'custom' || !!baseUrl) && (
              <TextInput
                label="Base URL"
                description="Used instead of a named cloud’s host, e.g. a proxy or the simulator."
                placeholder="https://api.crowdstrike.com"
                required
                {...register('baseUrl')}
                error={err('baseUrl')}
              />
            )}
          </>
        )}
        {kind === 'crowdstrike-zta' && (
          <TextInput label="Customer ID (CID)" required spellCheck={false} {...register('customerId')} error={err('customerId')} />
        )}
        {Section && <Section form={form} existing={existing} secretHint={secretHint} err={err} />}
        <Controller
          control={control}
          name="pollInterval"
          render={({ field }) => (
            <Select
              label={kind === 'crowdstrike-falcon-incidents' ? 'Detection polling interval' : 'Polling frequency'}
              data={pollOptions}
              allowDeselect={false}
              value={field.value as string}
              onChange={field.onChange}
              error={err('pollInterval')}
            />
          )}
        />
        {kind === 'crowdstrike-falcon-incidents' && (
          <>
            <Controller
              control={control}
              name="hostEnrichment"
              render={({ field }) => (
                <Switch
                  label="Enrich incidents with host details (Hosts API)"
                  checked={field.value as boolean}
                  onChange={(e) => field.onChange(e.currentTarget.checked)}
                />
              )}
            />
            <Controller
              control={control}
              name="iocPushOnResolve"
              render={({ field }) => (
                <Switch
                  label="Push an incident's IOCs to Falcon when it is resolved"
                  checked={field.value as boolean}
                  onChange={(e) => field.onChange(e.currentTarget.checked)}
                />
              )}
            />
          </>
        )}
        {save.isError && !(save.error instanceof ContractError && save.error.issues) && <ErrorNotice error={save.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {existing ? 'Save changes' : 'Add provider'}
          </Button>
        </Group>
        {existing && (
          <Text size="xs" c="dimmed">
            Changing the endpoint or secret clears the last test result.
          </Text>
        )}
      </Stack>
    </form>
  );
}
