// The provider kinds that report device posture, without zod: the shell and the Posture Log's first paint ask
// "is this a posture provider?" before any schema has loaded. sources/index.ts builds its enum from this list.
import type { ProviderKind } from './providers';

export const postureProviderKinds = ['crowdstrike-zta', 'sentinelone', 'intune', 'jamf', 'kandji', 'custom'] as const;
export type PostureProviderKindValue = (typeof postureProviderKinds)[number];

export function isPostureProviderKind(kind: ProviderKind): kind is ProviderKind & PostureProviderKindValue {
  return (postureProviderKinds as readonly string[]).includes(kind);
}
