// The fields of the StackFlow IOC push form (the seed's curl body), for react-hook-form with the IocInput
// schema as resolver: the push form on the IOCs page and the attach form on an incident share them.
import { Grid, MultiSelect, NumberInput, Select, TextInput } from '@mantine/core';
import { Controller, useWatch, type Control, type FieldErrors, type UseFormRegister } from 'react-hook-form';
import {
  HASH_ONLY_ACTIONS,
  IocAction,
  IocPlatform,
  IocSeverity,
  IocType,
  MAX_IOC_EXPIRATION_DAYS,
  SEVERITY_REQUIRED_ACTIONS,
  type IocInputDraft,
} from '../../../src-shared/schemas/incidents';

export const iocDefaults: IocInputDraft = {
  type: 'sha256',
  value: '',
  action: 'prevent',
  severity: 'high',
  platforms: ['windows', 'mac', 'linux'],
  expiration_days: 30,
};

const typeLabels: Record<IocType, string> = {
  ipv4: 'ipv4 — IPv4 address',
  ipv6: 'ipv6 — IPv6 address',
  domain: 'domain — domain name',
  md5: 'md5 — MD5 file hash',
  sha256: 'sha256 — SHA-256 file hash',
};
const actionLabels: Record<IocAction, string> = {
  no_action: 'no_action — watch list only',
  allow: 'allow — allow the file',
  prevent_no_ui: 'prevent_no_ui — block silently',
  prevent: 'prevent — block and show a detection',
  detect: 'detect — raise a detection',
};
const examples: Record<IocType, string> = {
  ipv4: '203.0.113.7',
  ipv6: '2001:db8::7',
  domain: 'c2.example.com',
  md5: '32 hexadecimal characters',
  sha256: '64 hexadecimal characters',
};

const mono = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } };

/** Empty text means "not given": optional fields must be absent, not empty. */
const absentIfEmpty = (v: unknown) => (v === '' ? undefined : v);

export function IocFields({
  control,
  register,
  errors,
  withSourceIncident,
}: {
  control: Control<IocInputDraft>;
  register: UseFormRegister<IocInputDraft>;
  errors: FieldErrors<IocInputDraft>;
  withSourceIncident: boolean;
}) {
  const type = useWatch({ control, name: 'type' });
  const action = useWatch({ control, name: 'action' });
  const severityHint = SEVERITY_REQUIRED_ACTIONS.includes(action) ? `Required for ${action}.` : action === 'allow' ? 'allow takes no severity.' : 'Optional.';
  return (
    <Grid gap="sm">
      <Grid.Col span={{ base: 12, sm: 4 }}>
        <Controller
          control={control}
          name="type"
          render={({ field }) => (
            <Select
              label="Type"
              required
              data={IocType.options.map((t) => ({ value: t, label: typeLabels[t] }))}
              allowDeselect={false}
              value={field.value}
              onChange={field.onChange}
              onBlur={field.onBlur}
              error={errors.type?.message}
            />
          )}
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 8 }}>
        <TextInput label="Value" required placeholder={examples[type]} spellCheck={false} styles={mono} {...register('value')} error={errors.value?.message} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 6 }}>
        <Controller
          control={control}
          name="action"
          render={({ field }) => (
            <Select
              label="Action"
              required
              description={`${HASH_ONLY_ACTIONS.join(', ')} apply to file hashes (md5, sha256) only.`}
              data={IocAction.options.map((a) => ({ value: a, label: actionLabels[a] }))}
              allowDeselect={false}
              value={field.value}
              onChange={field.onChange}
              onBlur={field.onBlur}
              error={errors.action?.message}
            />
          )}
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 6 }}>
        <Controller
          control={control}
          name="severity"
          render={({ field }) => (
            <Select
              label="Severity"
              description={severityHint}
              clearable
              placeholder="None"
              data={IocSeverity.options}
              value={field.value ?? null}
              onChange={(v) => field.onChange(v ?? undefined)}
              onBlur={field.onBlur}
              error={errors.severity?.message}
            />
          )}
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 8 }}>
        <Controller
          control={control}
          name="platforms"
          render={({ field }) => (
            <MultiSelect
              label="Platforms"
              required
              data={IocPlatform.options}
              value={field.value}
              onChange={field.onChange}
              onBlur={field.onBlur}
              error={errors.platforms?.message}
            />
          )}
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 4 }}>
        <Controller
          control={control}
          name="expiration_days"
          render={({ field }) => (
            <NumberInput
              label="Expires after (days)"
              description="Empty: never expires."
              min={1}
              max={MAX_IOC_EXPIRATION_DAYS}
              allowDecimal={false}
              value={field.value ?? ''}
              onChange={(v) => field.onChange(typeof v === 'number' ? v : undefined)}
              onBlur={field.onBlur}
              error={errors.expiration_days?.message}
            />
          )}
        />
      </Grid.Col>
      <Grid.Col span={withSourceIncident ? { base: 12, sm: 8 } : 12}>
        <TextInput
          label="Description"
          placeholder="e.g. C2 server identified in INC0001234"
          {...register('description', { setValueAs: absentIfEmpty })}
          error={errors.description?.message}
        />
      </Grid.Col>
      {withSourceIncident && (
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <TextInput
            label="Source incident"
            placeholder="INC0001234"
            styles={mono}
            {...register('source_incident', { setValueAs: absentIfEmpty })}
            error={errors.source_incident?.message}
          />
        </Grid.Col>
      )}
    </Grid>
  );
}
