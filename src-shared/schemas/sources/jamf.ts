// Jamf Pro as a posture source: its connection (server URL, API client ID and secret), the posture of a computer
// and the rules its checks take (all described as data, so the generic evaluator, editor and rule text serve them).
import { z } from 'zod';
import { acceptedRule, booleanRule, versionRule, withinRule, type AttributeSpec } from './attributes';
import { ApiUrl, PollInterval, ProviderName, Secret, unreadableNote } from './fields';

export const kind = 'jamf' as const;

export const JamfFileVaultStatus = z.enum(['ALL_ENCRYPTED', 'BOOT_ENCRYPTED', 'SOME_ENCRYPTED', 'NOT_ENCRYPTED', 'NOT_APPLICABLE'], {
  error: 'FileVault status must be ALL_ENCRYPTED, BOOT_ENCRYPTED, SOME_ENCRYPTED, NOT_ENCRYPTED or NOT_APPLICABLE.',
});
export const JamfSipStatus = z.enum(['ENABLED', 'DISABLED', 'NOT_COLLECTED', 'NOT_AVAILABLE'], {
  error: 'SIP status must be ENABLED, DISABLED, NOT_COLLECTED or NOT_AVAILABLE.',
});
export const JamfGatekeeperStatus = z.enum(['APP_STORE_AND_IDENTIFIED_DEVELOPERS', 'APP_STORE', 'DISABLED', 'NOT_COLLECTED'], {
  error: 'Gatekeeper status must be APP_STORE_AND_IDENTIFIED_DEVELOPERS, APP_STORE, DISABLED or NOT_COLLECTED.',
});

export const JamfRecord = z.enum(['computer']);

/** The Jamf Pro console address; the API lives under /api, so a URL ending in /api is the wrong one to enter. */
export const JamfServerUrl = ApiUrl.superRefine((v, ctx) => {
  if (/\/api(\/|$)/i.test(new URL(v).pathname))
    ctx.addIssue({ code: 'custom', message: 'Enter the Jamf Pro console address without /api, e.g. https://yourcompany.jamfcloud.com.' });
});

const CLIENT_ID_MESSAGE = 'Client ID is the UUID shown for the API client (Settings > System > API roles and clients > API Clients).';
export const JamfClientId = z
  .string()
  .trim()
  .min(1, CLIENT_ID_MESSAGE)
  .max(128, CLIENT_ID_MESSAGE)
  .regex(/^[A-Za-z0-9._-]+$/, CLIENT_ID_MESSAGE);

export const JamfFields = z.object({
  kind: z.literal(kind),
  name: ProviderName,
  serverUrl: JamfServerUrl,
  clientId: JamfClientId,
  pollInterval: PollInterval.default('1h'),
});

export const config = JamfFields.extend({ id: z.string() });
export const input = JamfFields.extend({ id: z.string().optional(), clientSecret: Secret('client secret').optional() });

export const rules = [
  booleanRule('managed', 'be managed by Jamf (true) or not (false)'),
  booleanRule('supervised', 'be supervised (true) or not (false)'),
  booleanRule('firewallEnabled', 'have the firewall on (true) or off (false)'),
  acceptedRule('fileVault2Status', JamfFileVaultStatus, 'FileVault status'),
  acceptedRule('sipStatus', JamfSipStatus, 'SIP status'),
  acceptedRule('gatekeeperStatus', JamfGatekeeperStatus, 'Gatekeeper status'),
  versionRule('jamfOsVersion'),
  withinRule('reportDate'),
] as const;

const labels = (values: readonly string[]) => Object.fromEntries(values.map((v) => [v, v.toLowerCase().replaceAll('_', ' ')]));

export const attributes = {
  managed: { shape: 'boolean', label: 'Managed (Jamf)', field: 'managed', question: 'Managed by Jamf Pro', defaultExpected: true },
  supervised: { shape: 'boolean', label: 'Supervised', field: 'supervised', question: 'Supervised', defaultExpected: true },
  firewallEnabled: { shape: 'boolean', label: 'Firewall enabled', field: 'firewallEnabled', question: 'Firewall on', defaultExpected: true },
  fileVault2Status: {
    shape: 'accepted',
    label: 'FileVault status',
    field: 'fileVault2Status',
    values: JamfFileVaultStatus.options,
    valueLabels: labels(JamfFileVaultStatus.options),
    defaultAccepted: ['ALL_ENCRYPTED'],
  },
  sipStatus: {
    shape: 'accepted',
    label: 'System Integrity Protection',
    field: 'sipStatus',
    values: JamfSipStatus.options,
    valueLabels: labels(JamfSipStatus.options),
    defaultAccepted: ['ENABLED'],
  },
  gatekeeperStatus: {
    shape: 'accepted',
    label: 'Gatekeeper',
    field: 'gatekeeperStatus',
    values: JamfGatekeeperStatus.options,
    valueLabels: labels(JamfGatekeeperStatus.options),
    defaultAccepted: ['APP_STORE_AND_IDENTIFIED_DEVELOPERS', 'APP_STORE'],
  },
  jamfOsVersion: { shape: 'version', label: 'macOS version (Jamf)', field: 'osVersion', placeholder: '14.6', defaultValue: '14.6' },
  reportDate: {
    shape: 'within',
    label: 'Last inventory update',
    field: 'reportDate',
    description: 'The computer sent a full inventory (recon) within',
    defaultWithin: '7d',
  },
} as const satisfies Record<string, AttributeSpec>;

export const JamfPosture = z.object({
  kind: z.literal(kind),
  managed: z.boolean().nullable(),
  supervised: z.boolean().nullable(),
  firewallEnabled: z.boolean().nullable(),
  /** Kept as reported: a value outside the known enum is shown, and fails an accepted-set rule. */
  fileVault2Status: z.string().nullable(),
  sipStatus: z.string().nullable(),
  gatekeeperStatus: z.string().nullable(),
  osVersion: z.string().nullable(),
  /** Epoch ms of the last full inventory (general.reportDate). */
  reportDate: z.number().nullable(),
  unreadable: z.array(unreadableNote(JamfRecord)).optional(),
});
export type JamfPosture = z.infer<typeof JamfPosture>;

export const jamfSource = {
  kind,
  label: 'Jamf Pro (device posture)',
  short: 'Jamf Pro',
  recordNoun: 'Jamf Pro computer',
  secret: { field: 'clientSecret', label: 'Client secret' },
  attributes,
} as const;
