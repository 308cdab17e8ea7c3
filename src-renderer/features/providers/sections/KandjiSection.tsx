// Kandji: the tenant's API URL (US or EU host) and an API token with the device-list permission.
import { PasswordInput, TextInput } from '@mantine/core';
import type { FormSection, SectionProps } from './section';

function KandjiFields({ form, existing, secretHint, err }: SectionProps) {
  const { register } = form;
  return (
    <>
      <TextInput
        label="API URL"
        placeholder="https://yourcompany.api.kandji.io"
        description="US tenants: https://<subdomain>.api.kandji.io — EU tenants: https://<subdomain>.api.eu.kandji.io"
        required
        {...register('apiUrl')}
        error={err('apiUrl')}
      />
      <PasswordInput
        label="API token"
        required={!existing}
        autoComplete="new-password"
        placeholder={secretHint}
        description="Paste the token alone (without “Bearer”). Write-only: it is encrypted and never shown again."
        {...register('apiToken')}
        error={err('apiToken')}
      />
    </>
  );
}

export const kandjiSection: FormSection = {
  defaults: { kind: 'kandji', name: '', apiUrl: '', apiToken: '', pollInterval: '1h' },
  steps: [
    'In Kandji go to Settings > Access and copy the API URL shown there (it tells US from EU: …api.kandji.io or …api.eu.kandji.io).',
    'Under API Token choose Add Token, name it (e.g. Posture Console), and copy the token: it is shown once.',
    'Open the token’s Manage API Permissions and tick Devices → Device list and Device details (and Settings → Licensing for the Test’s device count); save.',
    'Kandji allows 10,000 API requests per hour per tenant, shared by every integration: a poll costs one request per 300 devices.',
  ],
  Fields: KandjiFields,
};
