// Jamf Pro: the console address and an API client (client ID and secret) whose role has "Read Computers".
import { PasswordInput, TextInput } from '@mantine/core';
import type { FormSection, SectionProps } from './section';

function JamfFields({ form, existing, secretHint, err }: SectionProps) {
  const { register } = form;
  return (
    <>
      <TextInput
        label="Jamf Pro URL"
        placeholder="https://yourcompany.jamfcloud.com"
        description="The address you open the Jamf Pro console at, without /api."
        required
        {...register('serverUrl')}
        error={err('serverUrl')}
      />
      <TextInput label="Client ID" placeholder="e.g. 0f1e2d3c-…" required {...register('clientId')} error={err('clientId')} />
      <PasswordInput
        label="Client secret"
        required={!existing}
        autoComplete="new-password"
        placeholder={secretHint}
        description="Write-only: it is encrypted and never shown again."
        {...register('clientSecret')}
        error={err('clientSecret')}
      />
    </>
  );
}

export const jamfSection: FormSection = {
  defaults: { kind: 'jamf', name: '', serverUrl: '', clientId: '', clientSecret: '', pollInterval: '1h' },
  steps: [
    'In Jamf Pro go to Settings > System > API roles and clients > API Roles > New, name it (e.g. Posture Console) and give it the privilege Read Computers only.',
    'Open the API Clients tab > New: display name, assign the role you just made, choose an access token lifetime, and Enable API client.',
    'Save, then choose Generate client secret and copy the Client ID and the Client secret (the secret is shown once).',
    'Copy the Jamf Pro URL from your browser’s address bar, e.g. https://yourcompany.jamfcloud.com (on-premises often ends in :8443).',
    'If you add a role to an existing client later, generate a new client secret: role changes apply only after the secret is rotated.',
  ],
  Fields: JamfFields,
};
