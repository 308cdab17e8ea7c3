// Microsoft Intune (Graph managedDevices) as a posture source: the Entra app it signs in with, the clouds it
// lives in, the posture of a managed device and the rules its checks take.
import { z } from 'zod';
import type { AttributeSpec } from './attributes';
import { acceptedRule, booleanRule, versionRule, withinRule } from './attributes';
import { ApiUrl, PollInterval, ProviderName, Secret, unreadableNote } from './fields';

export const kind = 'intune' as const;

/** National clouds (login and Graph hosts differ per cloud); `custom` names both hosts, e.g. the simulator. */
export const IntuneCloud = z.enum(['global', 'usgov-l4', 'usgov-l5', 'china', 'custom'], {
  error: 'Cloud must be one of global, usgov-l4, usgov-l5, china, custom.',
});
export type IntuneCloud = z.infer<typeof IntuneCloud>;

export const intuneCloudHosts: Record<Exclude<IntuneCloud, 'custom'>, { label: string; login: string; graph: string }> = {
  global: { label: 'Global (incl. GCC Moderate)', login: 'https://login.microsoftonline.com', graph: 'https://graph.microsoft.com' },
  'usgov-l4': { label: 'US Gov GCC High (L4)', login: 'https://login.microsoftonline.us', graph: 'https://graph.microsoft.us' },
  'usgov-l5': { label: 'US Gov DoD (L5)', login: 'https://login.microsoftonline.us', graph: 'https://dod-graph.microsoft.us' },
  china: { label: 'China (21Vianet)', login: 'https://login.chinacloudapi.cn', graph: 'https://microsoftgraph.chinacloudapi.cn' },
};

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DOMAIN = /^(?=.{4,253}$)([a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$/;

export const EntraTenantId = z
  .string()
  .trim()
  .refine((v) => !['common', 'organizations', 'consumers'].includes(v.toLowerCase()), 'App-only sign-in needs your own tenant, not common or organizations.')
  .refine(
    (v) => GUID.test(v) || DOMAIN.test(v),
    'Tenant ID is a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47 (or a verified domain such as contoso.onmicrosoft.com); copy Directory (tenant) ID from the app registration’s Overview.',
  )
  .transform((v) => v.toLowerCase());

export const EntraClientId = z
  .string()
  .trim()
  .regex(GUID, 'Client ID is a GUID such as 00000000-1111-2222-3333-444444444444; copy Application (client) ID from the app registration’s Overview.')
  .transform((v) => v.toLowerCase());

export const IntuneFields = z.object({
  kind: z.literal(kind),
  name: ProviderName,
  tenantId: EntraTenantId,
  clientId: EntraClientId,
  cloud: IntuneCloud.default('global'),
  /** With `custom` only: the token host and the Graph host. */
  loginUrl: ApiUrl.optional(),
  graphUrl: ApiUrl.optional(),
  pollInterval: PollInterval.default('1h'),
});

type Hosts = { cloud: IntuneCloud; loginUrl?: string | undefined; graphUrl?: string | undefined };

/** A named cloud has its own hosts; custom needs both. */
export function refineIntuneHosts(v: Hosts, ctx: z.RefinementCtx): void {
  if (v.cloud !== 'custom') {
    for (const field of ['loginUrl', 'graphUrl'] as const)
      if (v[field]) ctx.addIssue({ code: 'custom', path: [field], message: 'A named cloud has its own hosts; choose Custom to enter them.' });
    return;
  }
  if (!v.loginUrl) ctx.addIssue({ code: 'custom', path: ['loginUrl'], message: 'A custom cloud needs its login URL.' });
  if (!v.graphUrl) ctx.addIssue({ code: 'custom', path: ['graphUrl'], message: 'A custom cloud needs its Graph URL.' });
}

/** Where the token and the devices come from. */
export function intuneHosts(v: Hosts): { login: string; graph: string } {
  if (v.cloud === 'custom') return { login: v.loginUrl ?? '', graph: v.graphUrl ?? '' };
  const hosts = intuneCloudHosts[v.cloud];
  return { login: hosts.login, graph: hosts.graph };
}

export const config = IntuneFields.extend({ id: z.string() });
export const input = IntuneFields.extend({ id: z.string().optional(), clientSecret: Secret('client secret').optional() });

// ---- posture -----------------------------------------------------------------------------------

/** Graph's enum members (wire values are the camelCase member names). */
export const ComplianceState = z.enum(['unknown', 'compliant', 'noncompliant', 'conflict', 'error', 'inGracePeriod', 'configManager'], {
  error: 'Compliance state must be one of unknown, compliant, noncompliant, conflict, error, inGracePeriod, configManager.',
});
export const DeviceRegistrationState = z.enum(
  ['notRegistered', 'registered', 'revoked', 'keyConflict', 'approvalPending', 'certificateReset', 'notRegisteredPendingEnrollment', 'unknown'],
  {
    error:
      'Registration state must be one of notRegistered, registered, revoked, keyConflict, approvalPending, certificateReset, notRegisteredPendingEnrollment, unknown.',
  },
);
export const ManagedDeviceOwnerType = z.enum(['unknown', 'company', 'personal', 'unknownFutureValue'], {
  error: 'Owner type must be one of unknown, company, personal, unknownFutureValue.',
});
/** Graph types jailBroken as a free string; these are the values Intune sends. */
export const JailBroken = z.enum(['False', 'True', 'Unknown'], { error: 'Jailbroken must be one of False, True, Unknown.' });

export const IntuneRecord = z.enum(['managed_device']);

export const rules = [
  acceptedRule('complianceState', ComplianceState, 'compliance state'),
  booleanRule('isEncrypted', 'be encrypted (true) or not (false)'),
  booleanRule('isSupervised', 'be supervised (true) or not (false)'),
  booleanRule('azureADRegistered', 'be registered in Entra ID (true) or not (false)'),
  acceptedRule('deviceRegistrationState', DeviceRegistrationState, 'registration state'),
  acceptedRule('managedDeviceOwnerType', ManagedDeviceOwnerType, 'owner type'),
  acceptedRule('jailBroken', JailBroken, 'jailbroken'),
  versionRule('osVersion'),
  withinRule('lastSyncDateTime'),
] as const;

const labels = (values: readonly string[]) => Object.fromEntries(values.map((v) => [v, v]));

export const attributes = {
  complianceState: {
    shape: 'accepted',
    label: 'Compliance state',
    field: 'complianceState',
    values: ComplianceState.options,
    valueLabels: labels(ComplianceState.options),
    defaultAccepted: ['compliant'],
  },
  isEncrypted: { shape: 'boolean', label: 'Encrypted', field: 'isEncrypted', question: 'Passes when Encrypted is', defaultExpected: true },
  isSupervised: { shape: 'boolean', label: 'Supervised', field: 'isSupervised', question: 'Passes when Supervised (Apple) is', defaultExpected: true },
  azureADRegistered: {
    shape: 'boolean',
    label: 'Entra ID registered',
    field: 'azureADRegistered',
    question: 'Passes when registered in Entra ID is',
    defaultExpected: true,
  },
  deviceRegistrationState: {
    shape: 'accepted',
    label: 'Registration state',
    field: 'deviceRegistrationState',
    values: DeviceRegistrationState.options,
    valueLabels: labels(DeviceRegistrationState.options),
    defaultAccepted: ['registered'],
  },
  managedDeviceOwnerType: {
    shape: 'accepted',
    label: 'Owner type',
    field: 'managedDeviceOwnerType',
    values: ManagedDeviceOwnerType.options,
    valueLabels: labels(ManagedDeviceOwnerType.options),
    defaultAccepted: ['company'],
  },
  jailBroken: {
    shape: 'accepted',
    label: 'Jailbroken',
    field: 'jailBroken',
    values: JailBroken.options,
    valueLabels: labels(JailBroken.options),
    defaultAccepted: ['False'],
  },
  osVersion: { shape: 'version', label: 'OS version', field: 'osVersion', placeholder: '10.0.22631', defaultValue: '10.0' },
  lastSyncDateTime: {
    shape: 'within',
    label: 'Last sync',
    field: 'lastSyncAt',
    description: 'When the device last checked in with Intune.',
    defaultWithin: '7d',
  },
} as const satisfies Record<z.infer<(typeof rules)[number]>['attribute'], AttributeSpec>;

export const IntunePosture = z.object({
  kind: z.literal(kind),
  /** Enumerations kept as reported: a value Graph adds later is shown, and fails an accepted-set rule. */
  complianceState: z.string().nullable(),
  isEncrypted: z.boolean().nullable(),
  isSupervised: z.boolean().nullable(),
  azureADRegistered: z.boolean().nullable(),
  deviceRegistrationState: z.string().nullable(),
  managedDeviceOwnerType: z.string().nullable(),
  jailBroken: z.string().nullable(),
  osVersion: z.string().nullable(),
  /** Epoch ms of lastSyncDateTime; null when never synced. */
  lastSyncAt: z.number().nullable(),
  unreadable: z.array(unreadableNote(IntuneRecord)).optional(),
});
export type IntunePosture = z.infer<typeof IntunePosture>;

export const intuneSource = {
  kind,
  label: 'Microsoft Intune (device posture)',
  short: 'Microsoft Intune',
  recordNoun: 'Intune managed device',
  secret: { field: 'clientSecret', label: 'client secret' },
  attributes,
} as const;
