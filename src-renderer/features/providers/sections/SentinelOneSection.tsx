// SentinelOne: the console URL and a service user's API token.
import { PasswordInput, TextInput } from '@mantine/core';
import type { FormSection, SectionProps } from './section';

function SentinelOneFields({ form, existing, secretHint, err }: SectionProps) {
  const { register } = form;
  return (
    <>
      <TextInput label="REST API URL" placeholder="https://example.sentinelone.net" required {...register('apiUrl')} error={err('apiUrl')} />
      <PasswordInput
        label="API token"
        required={!existing}
        autoComplete="new-password"
        placeholder={secretHint}
        description="Write-only: it is encrypted and never shown again."
        {...register('apiToken')}
        error={err('apiToken')}
      />
    </>
  );
}

export const sentinelOneSection: FormSection = {
  defaults: { kind: 'sentinelone', name: '', apiUrl: '', apiToken: '', pollInterval: '1h' },
  steps: [
    'In the SentinelOne console go to Settings > Users > Service Users > Create New Service User.',
    'Enter a name and an expiration date; set Scope of Access to Viewer; Create User.',
    'Copy the API Token it shows.',
    "Copy the REST API URL from your browser's address bar, e.g. https://<S1-DOMAIN>.sentinelone.net.",
  ],
  Fields: SentinelOneFields,
};
