// Microsoft Intune: the Entra app (tenant ID, client ID, secret Value) and the national cloud it lives in.
import { PasswordInput, Select, TextInput } from '@mantine/core';
import { Controller, useWatch } from 'react-hook-form';
import { IntuneCloud, intuneCloudHosts } from '../../../../src-shared/schemas/sources/intune';
import type { FormSection, SectionProps } from './section';

const cloudOptions = IntuneCloud.options.map((c) => ({
  value: c,
  label: c === 'custom' ? 'Custom hosts (a proxy or the simulator)' : `${intuneCloudHosts[c].label} — ${intuneCloudHosts[c].graph.replace('https://', '')}`,
}));

function IntuneFields({ form, existing, secretHint, err }: SectionProps) {
  const { register, control } = form;
  const cloud = useWatch({ control, name: 'cloud' });
  return (
    <>
      <TextInput
        label="Directory (tenant) ID"
        required
        autoComplete="off"
        spellCheck={false}
        placeholder="00000000-0000-0000-0000-000000000000"
        {...register('tenantId')}
        error={err('tenantId')}
      />
      <TextInput
        label="Application (client) ID"
        required
        autoComplete="off"
        spellCheck={false}
        placeholder="00000000-0000-0000-0000-000000000000"
        {...register('clientId')}
        error={err('clientId')}
      />
      <PasswordInput
        label="Client secret (Value)"
        required={!existing}
        autoComplete="new-password"
        placeholder={secretHint}
        description="The secret’s Value, not its Secret ID. Write-only: it is encrypted and never shown again."
        {...register('clientSecret')}
        error={err('clientSecret')}
      />
      <Controller
        control={control}
        name="cloud"
        render={({ field }) => (
          <Select
            label="Cloud"
            description="The national cloud the tenant lives in: sign-in and Graph hosts differ per cloud."
            data={cloudOptions}
            allowDeselect={false}
            value={field.value as string}
            onChange={(next) => {
              field.onChange(next);
              if (next !== 'custom') {
                form.setValue('loginUrl', undefined, { shouldValidate: true });
                form.setValue('graphUrl', undefined, { shouldValidate: true });
              }
            }}
            error={err('cloud')}
          />
        )}
      />
      {cloud === 'custom' && (
        <>
          <TextInput label="Login URL" placeholder="https://login.microsoftonline.com" required {...register('loginUrl')} error={err('loginUrl')} />
          <TextInput label="Graph URL" placeholder="https://graph.microsoft.com" required {...register('graphUrl')} error={err('graphUrl')} />
        </>
      )}
    </>
  );
}

export const intuneSection: FormSection = {
  defaults: { kind: 'intune', name: '', tenantId: '', clientId: '', clientSecret: '', cloud: 'global', pollInterval: '1h' },
  steps: [
    'In the Entra admin center go to Identity > Applications > App registrations > New registration; name it and Register.',
    'On the app’s Overview copy the Application (client) ID and the Directory (tenant) ID.',
    'Open Certificates & secrets > New client secret; copy its Value at once (it is shown only once; the Secret ID is not the secret) and note its expiry.',
    'Open API permissions > Add a permission > Microsoft Graph > Application permissions > DeviceManagementManagedDevices.Read.All, then Grant admin consent.',
    'Choose the cloud the tenant lives in (Global, US Gov GCC High, US Gov DoD or China 21Vianet).',
  ],
  Fields: IntuneFields,
};
