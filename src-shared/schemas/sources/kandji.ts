// Kandji as a posture source: its connection (tenant API URL on the US or EU host, API token), the posture of a
// device and the rules its checks take.
import { z } from 'zod';
import { booleanRule, namesRule, versionRule, withinRule, type AttributeSpec } from './attributes';
import { ApiUrl, PollInterval, ProviderName, Secret, unreadableNote } from './fields';

export const kind = 'kandji' as const;

export const KandjiRecord = z.enum(['device']);

/** The API URL from Settings > Access: https://<subdomain>.api.kandji.io (US) or .api.eu.kandji.io (EU). */
export const KandjiApiUrl = ApiUrl.superRefine((v, ctx) => {
  const host = new URL(v).hostname.toLowerCase();
  if (/\.clients\.[a-z0-9-]+\.kandji\.io$/.test(host) || (host.endsWith('.kandji.io') && !host.includes('.api.')))
    ctx.addIssue({
      code: 'custom',
      message: 'That is the Kandji web app address; the API URL is under Settings > Access, e.g. https://yourcompany.api.kandji.io (EU: .api.eu.kandji.io).',
    });
});

export const KandjiFields = z.object({
  kind: z.literal(kind),
  name: ProviderName,
  apiUrl: KandjiApiUrl,
  pollInterval: PollInterval.default('1h'),
});

export const config = KandjiFields.extend({ id: z.string() });
export const input = KandjiFields.extend({ id: z.string().optional(), apiToken: Secret('API token').optional() });

export const rules = [
  booleanRule('mdm_enabled', 'have the Kandji MDM profile (true) or not (false)'),
  booleanRule('agent_installed', 'have the Kandji agent installed (true) or not (false)'),
  versionRule('os_version'),
  withinRule('last_check_in'),
  namesRule('blueprint_name', 'blueprint'),
] as const;

export const attributes = {
  mdm_enabled: { shape: 'boolean', label: 'MDM enabled (Kandji)', field: 'mdmEnabled', question: 'MDM profile installed', defaultExpected: true },
  agent_installed: { shape: 'boolean', label: 'Agent installed (Kandji)', field: 'agentInstalled', question: 'Kandji agent installed', defaultExpected: true },
  os_version: { shape: 'version', label: 'OS version (Kandji)', field: 'osVersion', placeholder: '14.6', defaultValue: '14.6' },
  last_check_in: {
    shape: 'within',
    label: 'Last check-in (Kandji)',
    field: 'lastCheckIn',
    description: 'The device checked in with Kandji within',
    defaultWithin: '7d',
  },
  blueprint_name: {
    shape: 'names',
    label: 'Blueprint',
    field: 'blueprintName',
    description: 'Blueprint name is one of (exact names, comma-separated)',
    placeholder: 'Standard Mac, Engineering',
  },
} as const satisfies Record<string, AttributeSpec>;

export const KandjiPosture = z.object({
  kind: z.literal(kind),
  mdmEnabled: z.boolean().nullable(),
  agentInstalled: z.boolean().nullable(),
  osVersion: z.string().nullable(),
  /** Epoch ms of last_check_in; null when Kandji sent "" (never checked in). */
  lastCheckIn: z.number().nullable(),
  blueprintName: z.string().nullable(),
  unreadable: z.array(unreadableNote(KandjiRecord)).optional(),
});
export type KandjiPosture = z.infer<typeof KandjiPosture>;

export const kandjiSource = {
  kind,
  label: 'Kandji (device posture)',
  short: 'Kandji',
  recordNoun: 'Kandji device',
  secret: { field: 'apiToken', label: 'API token' },
  attributes,
} as const;
