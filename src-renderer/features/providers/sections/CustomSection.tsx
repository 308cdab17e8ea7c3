// Your own HTTPS endpoint: URL, authentication (bearer token or Cloudflare Access service token), batch size,
// timeout and what a device the endpoint leaves out means.
import { Checkbox, NumberInput, PasswordInput, Select, SimpleGrid, TextInput } from '@mantine/core';
import { Controller } from 'react-hook-form';
import type { FormSection, SectionProps } from './section';

const AUTH_LABELS = [
  { value: 'bearer', label: 'Bearer token (Authorization: Bearer …)' },
  { value: 'cloudflareAccess', label: 'Cloudflare Access service token' },
  { value: 'none', label: 'None (loopback endpoints only)' },
];

function CustomFields({ form, existing, secretHint, err }: SectionProps) {
  const { register, control, watch } = form;
  const auth = (watch('auth' as never) as unknown as string | undefined) ?? 'bearer';
  return (
    <>
      <TextInput
        label="Endpoint URL"
        placeholder="https://posture.example.com/posture"
        description="Receives POST {“devices”: […]} and answers {“result”: {“<device_id>”: {“score”: 0-100}}}."
        required
        {...register('url' as never)}
        error={err('url')}
      />
      <Controller
        control={control}
        name={'auth' as never}
        render={({ field }) => (
          <Select
            label="Authentication"
            data={AUTH_LABELS}
            allowDeselect={false}
            value={(field.value as string) ?? 'bearer'}
            onChange={field.onChange}
            error={err('auth')}
          />
        )}
      />
      {auth === 'cloudflareAccess' && (
        <TextInput label="Access client ID" placeholder="….access" required {...register('accessClientId' as never)} error={err('accessClientId')} />
      )}
      {auth !== 'none' && (
        <PasswordInput
          label={auth === 'cloudflareAccess' ? 'Access client secret' : 'Bearer token'}
          required={!existing}
          autoComplete="new-password"
          placeholder={secretHint}
          description="Write-only: it is encrypted and never shown again."
          {...register('secret' as never)}
          error={err('secret')}
        />
      )}
      <SimpleGrid cols={2} spacing="sm">
        <Controller
          control={control}
          name={'batchSize' as never}
          render={({ field }) => (
            <NumberInput label="Devices per request" min={1} max={1000} value={field.value as number} onChange={field.onChange} error={err('batchSize')} />
          )}
        />
        <Controller
          control={control}
          name={'timeoutMs' as never}
          render={({ field }) => (
            <NumberInput
              label="Timeout per request (ms)"
              min={1000}
              max={120000}
              step={1000}
              value={field.value as number}
              onChange={field.onChange}
              error={err('timeoutMs')}
            />
          )}
        />
      </SimpleGrid>
      <Controller
        control={control}
        name={'failClosed' as never}
        render={({ field }) => (
          <Checkbox
            label="A device the endpoint does not score fails the score check (otherwise it is unknown)"
            checked={(field.value as boolean | undefined) ?? true}
            onChange={(e) => field.onChange(e.currentTarget.checked)}
          />
        )}
      />
    </>
  );
}

export const customSection: FormSection = {
  defaults: { kind: 'custom', name: '', url: '', auth: 'bearer', secret: '', batchSize: 500, timeoutMs: 15_000, failClosed: true, pollInterval: '1h' },
  steps: [
    'Build an HTTPS endpoint that takes POST {"devices":[{"device_id","serial_number","hostname","mac_address","email","virtual_ipv4"}]} and answers {"result":{"<device_id>":{"score":0-100,"s2s_id":""}}} — the same contract as Cloudflare’s custom service provider.',
    'Protect it: check a bearer token, or put it behind Cloudflare Access with a Service Auth policy and create a service token (Zero Trust > Access > Service auth).',
    'Enter its URL and the token here; the Test sends {"devices":[]} and expects {"result":{}}.',
    'Answer within 15 s per 1000 devices; leave out devices you do not know rather than inventing a score.',
  ],
  Fields: CustomFields,
};
