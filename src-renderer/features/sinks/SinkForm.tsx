// Add / edit a forwarding sink: where events go, which ones, and how; validated as you type with the contract's
// schema. Tokens are write-only, as provider secrets are.
import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, Checkbox, Group, List, NumberInput, PasswordInput, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { Controller, useForm, useWatch } from 'react-hook-form';
import type { z } from 'zod';
import { ContractError } from '../../../src-shared/contract-error';
import { ForwardEventKind } from '../../../src-shared/schemas/forward';
import { SinkInput, SyslogFacility, forwardEventKindLabels, type SinkKind, type SinkView } from '../../../src-shared/schemas/sinks';
import { useSaveSink } from '../../api/sinks';
import { ErrorNotice } from '../../app/ErrorNotice';
import { HecFields, OtlpFields } from './HttpSinkFields';

type FormValues = z.input<typeof SinkInput>;

const allEvents = ForwardEventKind.options;
const defaults: Record<SinkKind, FormValues> = {
  syslog: {
    kind: 'syslog',
    name: '',
    host: '',
    port: 6514,
    transport: 'tls',
    appName: 'posture-console',
    facility: 'local0',
    events: allEvents,
    batchSize: 100,
  },
  'splunk-hec': { kind: 'splunk-hec', name: '', url: '', token: '', useAck: false, events: allEvents, batchSize: 100 },
  'otlp-http': { kind: 'otlp-http', name: '', url: '', serviceName: 'posture-console', events: allEvents, batchSize: 100 },
};

const setupSteps: Record<SinkKind, string[]> = {
  syslog: [
    'On the receiver (rsyslog, syslog-ng, a SIEM collector) open a TLS syslog input, usually port 6514 (RFC 5425).',
    'It must accept octet-counted RFC 5424 messages; plain TCP is for labs only.',
    'If its certificate comes from a private CA, paste that CA certificate (PEM) below. Verification always stays on.',
  ],
  'splunk-hec': [
    'In Splunk Web go to Settings > Data inputs > HTTP Event Collector. Under Global Settings set All Tokens to Enabled (Splunk Cloud has HEC on already).',
    'Click New Token, name it, and tick “Enable indexer acknowledgement” if delivery should count only once Splunk has indexed the events.',
    'Choose the allowed indexes and the default index, review, submit, and copy the token value.',
    'Collector URL: https://<splunk host>:8088 (Splunk Cloud: https://http-inputs-<stack>.splunkcloud.com). Any /services/collector path is accepted.',
  ],
  'otlp-http': [
    'On the OpenTelemetry Collector, enable the otlp receiver’s http protocol (default port 4318) and add it to a logs pipeline.',
    'Enter its logs endpoint, e.g. https://collector.example.com:4318/v1/logs (JSON encoding; plain http only to 127.0.0.1).',
    'If the collector authenticates clients (e.g. the bearertokenauth extension), enter the bearer token below; other headers are not secret.',
  ],
};

const facilityOptions = SyslogFacility.options.map((f) => ({ value: f, label: f }));

export function SinkForm({ kind, existing, onDone }: { kind: SinkKind; existing?: SinkView; onDone: () => void }) {
  const save = useSaveSink();
  const form = useForm<FormValues>({
    resolver: zodResolver(SinkInput),
    mode: 'onChange',
    defaultValues: existing ? ({ ...existing.config } as FormValues) : defaults[kind],
  });
  const { register, control, formState, setError, handleSubmit } = form;
  const errors = formState.errors as Record<string, { message?: string } | undefined>;
  const err = (name: string) => errors[name]?.message;
  const transport = useWatch({ control, name: 'transport' as never }) as unknown as string | undefined;
  const tokenHint = existing?.token?.configured
    ? `Stored${existing.token.changedAt ? ` ${new Date(existing.token.changedAt).toLocaleDateString()}` : ''} — leave blank to keep`
    : undefined;

  const submit = handleSubmit(async (values) => {
    // The schema lets an edit omit the token (keep the stored one); a new HEC sink cannot work without one.
    if (kind === 'splunk-hec' && !existing && !(values as { token?: string }).token)
      return setError('token' as never, { message: 'Enter the HEC token (Splunk: Settings > Data inputs > HTTP Event Collector).' });
    try {
      await save.mutateAsync(values as SinkInput);
      onDone();
    } catch (error) {
      if (error instanceof ContractError && error.issues) for (const issue of error.issues) setError(issue.path as never, { message: issue.message });
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-label="Sink settings">
      <Stack gap="sm">
        <Alert variant="light" title="Before you start">
          <List size="sm" type="ordered">
            {setupSteps[kind].map((s) => (
              <List.Item key={s}>{s}</List.Item>
            ))}
          </List>
        </Alert>
        <TextInput label="Name" required {...register('name')} error={err('name')} />
        {kind === 'syslog' && (
          <>
            <Group grow align="flex-start">
              <TextInput label="Host" placeholder="siem.example.com" required spellCheck={false} {...register('host' as never)} error={err('host')} />
              <Controller
                control={control}
                name={'port' as never}
                render={({ field }) => (
                  <NumberInput
                    label="Port"
                    min={1}
                    max={65535}
                    value={field.value as number}
                    onChange={(v) => field.onChange(typeof v === 'number' ? v : undefined)}
                    error={err('port')}
                  />
                )}
              />
            </Group>
            <Controller
              control={control}
              name={'transport' as never}
              render={({ field }) => (
                <Select
                  label="Transport"
                  data={[
                    { value: 'tls', label: 'TLS (RFC 5425), certificate verified' },
                    { value: 'tcp', label: 'Plain TCP (labs only: unencrypted)' },
                  ]}
                  allowDeselect={false}
                  value={field.value as string}
                  onChange={field.onChange}
                />
              )}
            />
            {transport !== 'tcp' && (
              <>
                <Textarea
                  label="CA certificate (PEM, optional)"
                  description="Trust this CA for the receiver's certificate instead of the system store."
                  rows={3}
                  spellCheck={false}
                  placeholder="-----BEGIN CERTIFICATE-----"
                  {...register('caCertificate' as never, { setValueAs: (v: string) => (v?.trim() ? v : undefined) })}
                  error={err('caCertificate')}
                />
                <TextInput
                  label="Server name (optional)"
                  description="The name on the receiver's certificate, when you connect by IP address."
                  spellCheck={false}
                  {...register('serverName' as never, { setValueAs: (v: string) => (v?.trim() ? v : undefined) })}
                  error={err('serverName')}
                />
              </>
            )}
            <Group grow align="flex-start">
              <TextInput label="App name" {...register('appName' as never)} error={err('appName')} />
              <Controller
                control={control}
                name={'facility' as never}
                render={({ field }) => (
                  <Select label="Facility" data={facilityOptions} allowDeselect={false} value={field.value as string} onChange={field.onChange} />
                )}
              />
            </Group>
          </>
        )}
        {kind !== 'syslog' && (
          <>
            <TextInput
              label={kind === 'splunk-hec' ? 'Collector URL' : 'Logs endpoint'}
              placeholder={kind === 'splunk-hec' ? 'https://splunk.example.com:8088' : 'https://collector.example.com:4318/v1/logs'}
              required
              spellCheck={false}
              {...register('url' as never)}
              error={err('url')}
            />
            <PasswordInput
              label={kind === 'splunk-hec' ? 'HEC token' : 'Bearer token (optional)'}
              required={kind === 'splunk-hec' && !existing}
              autoComplete="new-password"
              placeholder={tokenHint}
              description="Write-only: it is encrypted and never shown again."
              {...register('token' as never, { setValueAs: (v: string) => (v ? v : undefined) })}
              error={err('token')}
            />
          </>
        )}
        {kind === 'splunk-hec' && <HecFields form={form} err={err} />}
        {kind === 'otlp-http' && <OtlpFields form={form} err={err} />}
        <Controller
          control={control}
          name="events"
          render={({ field }) => (
            <Checkbox.Group label="Forward" value={(field.value as string[]) ?? []} onChange={field.onChange} error={err('events')}>
              <Group gap="md" mt={4}>
                {allEvents.map((k) => (
                  <Checkbox key={k} value={k} label={forwardEventKindLabels[k]} />
                ))}
              </Group>
            </Checkbox.Group>
          )}
        />
        <Group grow align="flex-start">
          <Controller
            control={control}
            name="batchSize"
            render={({ field }) => (
              <NumberInput
                label="Batch size"
                min={1}
                max={5000}
                value={field.value as number}
                onChange={(v) => field.onChange(typeof v === 'number' ? v : undefined)}
                error={err('batchSize')}
              />
            )}
          />
          <Controller
            control={control}
            name="maxPendingEvents"
            render={({ field }) => (
              <NumberInput
                label="Keep at most (events)"
                description="While the receiver is down; beyond this the oldest are dropped and counted."
                min={100}
                value={(field.value as number | undefined) ?? 1_000_000}
                onChange={(v) => field.onChange(typeof v === 'number' ? v : undefined)}
                error={err('maxPendingEvents')}
              />
            )}
          />
        </Group>
        {save.isError && !(save.error instanceof ContractError && save.error.issues) && <ErrorNotice error={save.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {existing ? 'Save changes' : 'Add sink'}
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          Every event carries a stable id, so a receiver can drop the duplicates that retries produce.
        </Text>
      </Stack>
    </form>
  );
}
