// The posture-source registry of the shared schemas: every kind, its label, its attributes, its connection
// variant and the posture shape of its records. A new source adds its file beside this one and one line per list.
import { z } from 'zod';
import { postureProviderKinds } from '../posture-kinds';
import type { AttributeSpec } from './attributes';
import * as crowdStrikeZta from './crowdstrike-zta';
import * as custom from './custom';
import * as jamf from './jamf';
import * as kandji from './kandji';
import * as intune from './intune';
import * as presence from './presence';
import * as sentinelOne from './sentinelone';

/** Every posture source, in the order forms and messages list them. */
export const postureSources = {
  'crowdstrike-zta': crowdStrikeZta.crowdStrikeZtaSource,
  sentinelone: sentinelOne.sentinelOneSource,
  intune: intune.intuneSource,
  jamf: jamf.jamfSource,
  kandji: kandji.kandjiSource,
  custom: custom.customSource,
} as const;

const kinds = Object.keys(postureSources) as (keyof typeof postureSources)[];
const words = (items: readonly string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`);

/** The provider kinds that report device posture (the incidents connection does not). */
export const PostureProviderKind = z.enum(postureProviderKinds, {
  error: `Posture checks run on ${words(kinds.map((k) => `a ${postureSources[k].short}`))} provider.`,
});
export type PostureProviderKind = z.infer<typeof PostureProviderKind>;

/** Connection variants owned by a source file (Falcon's lives in ../providers.ts beside the incidents one). */
export const sourceConfigs = [sentinelOne.config, intune.config, jamf.config, kandji.config, custom.config] as const;
export const sourceInputs = [sentinelOne.input, intune.input, jamf.input, kandji.input, custom.input] as const;

/** Cross-field rules of a source's connection, run on both its input and its stored config. */
export const sourceRefinements: Partial<Record<PostureProviderKind, (value: never, ctx: z.RefinementCtx) => void>> = {
  intune: intune.refineIntuneHosts,
  custom: custom.refineCustom as (value: never, ctx: z.RefinementCtx) => void,
};

/** Every rule a check can carry, keyed by attribute (attribute names are unique across sources). */
export const PostureRule = z.discriminatedUnion(
  'attribute',
  [...crowdStrikeZta.rules, ...sentinelOne.rules, ...intune.rules, ...jamf.rules, ...kandji.rules, ...custom.rules, ...presence.rules],
  {
    error: `Attribute must be one of ${words([...kinds.map((k) => `${Object.keys(postureSources[k].attributes).join(', ')} (${postureSources[k].short})`), 'present_in (any source)'])}.`,
  },
);
export type PostureRule = z.infer<typeof PostureRule>;
export type PostureAttribute = PostureRule['attribute'];

/** The posture part of an observation, one shape per source. */
export const SourcePosture = z.discriminatedUnion('kind', [
  crowdStrikeZta.ZtaPosture,
  sentinelOne.S1Posture,
  intune.IntunePosture,
  jamf.JamfPosture,
  kandji.KandjiPosture,
  custom.CustomPosture,
]);
export type SourcePosture = z.infer<typeof SourcePosture>;

/** Which of a device's provider records could not be read. */
export const UnreadableRecordKind = z.enum([
  ...crowdStrikeZta.ZtaRecord.options,
  ...sentinelOne.S1Record.options,
  ...intune.IntuneRecord.options,
  ...jamf.JamfRecord.options,
  ...kandji.KandjiRecord.options,
  ...custom.CustomRecord.options,
]);
export type UnreadableRecordKind = z.infer<typeof UnreadableRecordKind>;

type Attributes = Record<PostureAttribute, { label: string; kind: PostureProviderKind | 'any'; spec?: AttributeSpec }>;

/**
 * Which provider kind reports each attribute (`any`: a check any source can run, such as presence in another source),
 * its label in forms and messages, and (generic attributes) its spec.
 */
export const postureAttributes = Object.fromEntries([
  ...kinds.flatMap((kind) =>
    Object.entries(postureSources[kind].attributes).map(([attribute, a]) => [
      attribute,
      { label: a.label, kind, ...('shape' in a ? { spec: a as AttributeSpec } : {}) },
    ]),
  ),
  ...Object.entries(presence.attributes).map(([attribute, a]) => [attribute, { label: a.label, kind: 'any' }]),
]) as Attributes;

/** Whether a provider of this kind can run a check on this attribute. */
export function attributeFits(attribute: PostureAttribute, kind: PostureProviderKind): boolean {
  const owner = postureAttributes[attribute].kind;
  return owner === 'any' || owner === kind;
}

/** The spec of an attribute described as data (new sources), or undefined for the hand-written ones. */
export function attributeSpec(attribute: string): AttributeSpec | undefined {
  return (postureAttributes as Record<string, Attributes[PostureAttribute] | undefined>)[attribute]?.spec;
}
