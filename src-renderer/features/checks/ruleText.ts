// A rule in words for the list, the editor's choices with their labels, and a sensible starting rule per attribute.
import type { z } from 'zod';
import {
  attributeFits,
  postureAttributes,
  type AttributeSpec,
  type LastSeenBucket,
  type OnlineState,
  type PostureAttribute,
  type PostureProviderKind,
  type PostureRule,
  type S1NetworkStatus,
  type S1OperationalState,
} from '../../../src-shared/schemas/posture';

export type RuleInput = z.input<typeof PostureRule>;

/** Same wording as the posture log's "expected" column, so the list and the log read alike. */
export { describeRule as ruleText } from '../../../src-shared/posture-rule-text';

/** A starting rule for an attribute described as data (newer sources), from its spec. */
function specDefault(attribute: string, spec: AttributeSpec): RuleInput {
  switch (spec.shape) {
    case 'accepted':
      return { attribute, accepted: [...spec.defaultAccepted] } as unknown as RuleInput;
    case 'boolean':
      return { attribute, expected: spec.defaultExpected } as unknown as RuleInput;
    case 'version':
      return { attribute, operator: '>=', value: spec.defaultValue } as unknown as RuleInput;
    case 'within':
      return { attribute, within: spec.defaultWithin } as unknown as RuleInput;
    case 'names':
      return { attribute, accepted: [] } as unknown as RuleInput;
    case 'number':
      return { attribute, operator: spec.defaultOperator, value: spec.defaultValue } as unknown as RuleInput;
    case 'keyed':
      return { attribute, key: spec.placeholder, operator: '==', value: true } as unknown as RuleInput;
  }
}

const handWritten = {
  overall: { attribute: 'overall', operator: '>=', value: 70 },
  os: { attribute: 'os', operator: '>=', value: 70 },
  sensor_config: { attribute: 'sensor_config', operator: '>=', value: 70 },
  version: { attribute: 'version', operator: '>=', value: '2.1.0' },
  state: { attribute: 'state', accepted: ['online'] },
  last_seen: { attribute: 'last_seen', within: '24h' },
  infected: { attribute: 'infected', expected: false },
  active_threats: { attribute: 'active_threats', operator: '==', value: 0 },
  is_active: { attribute: 'is_active', expected: true },
  network_status: { attribute: 'network_status', accepted: ['connected'] },
  operational_state: { attribute: 'operational_state', accepted: ['na'] },
  // The source is the admin's choice: the draft stays incomplete (no what-if) until one is chosen.
  present_in: { attribute: 'present_in', sourceId: '' },
} satisfies Partial<Record<PostureAttribute, RuleInput>>;

export const defaultRules = Object.fromEntries(
  (Object.keys(postureAttributes) as PostureAttribute[]).map((a) => {
    const spec = postureAttributes[a].spec;
    return [a, spec ? specDefault(a, spec) : (handWritten as Partial<Record<PostureAttribute, RuleInput>>)[a]];
  }),
) as Record<PostureAttribute, RuleInput>;

/** The attributes a provider of this kind can check: its own, then those of every source (presence). */
export function attributesOf(kind: PostureProviderKind): PostureAttribute[] {
  return (Object.keys(postureAttributes) as PostureAttribute[]).filter((a) => attributeFits(a, kind));
}

export const compareOperatorLabels = {
  '>=': '>= at least',
  '>': '> more than',
  '==': '== exactly',
  '<=': '<= at most',
  '<': '< less than',
} as const;

export const versionOperatorLabels = {
  '>=': '>= this version or newer',
  '==': '== exactly this version',
  '!=': '!= any other version',
  '<=': '<= this version or older',
} as const;

export const lastSeenLabels: Record<LastSeenBucket, string> = {
  '1h': 'Less than 1 hour',
  '3h': '3 hours',
  '6h': '6 hours',
  '12h': '12 hours',
  '24h': '24 hours',
  '7d': '7 days',
  '30d': '30 days',
  '>30d': 'More than 30 days (any known time)',
};

export const onlineStateLabels: Record<OnlineState, string> = { online: 'Online', offline: 'Offline', unknown: 'Unknown' };

export const networkStatusLabels: Record<S1NetworkStatus, string> = {
  connected: 'Connected',
  disconnected: 'Disconnected',
  connecting: 'Connecting',
  disconnecting: 'Disconnecting',
};

export const operationalStateLabels: Record<S1OperationalState, string> = {
  na: 'Not disabled (na)',
  partially_disabled: 'Partially disabled',
  auto_partially_disabled: 'Automatically partially disabled',
  fully_disabled: 'Fully disabled',
  auto_fully_disabled: 'Automatically fully disabled',
  disabled_error: 'Disabled by an error',
  db_corruption: 'Database corruption',
};
