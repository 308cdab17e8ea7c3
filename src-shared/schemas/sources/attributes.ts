// What a posture attribute is, in data: its label, the rule shape an admin fills in, and the posture field it
// reads. A new source describes its attributes with these and gets rule text, editor fields and evaluation for free.
import { z } from 'zod';
import { DottedVersion, LastSeenBucket, VersionOperator, acceptedSet, booleanExpected } from './fields';

/** The rule shapes a generic attribute can take. */
export type AttributeSpec =
  | {
      shape: 'accepted';
      label: string;
      field: string;
      values: readonly string[];
      valueLabels: Readonly<Record<string, string>>;
      defaultAccepted: readonly string[];
    }
  | { shape: 'boolean'; label: string; field: string; question: string; defaultExpected: boolean }
  | { shape: 'version'; label: string; field: string; placeholder: string; defaultValue: string }
  | { shape: 'within'; label: string; field: string; description: string; defaultWithin: LastSeenBucket };

/** `attribute in (values)`; values outside the enum are shown as reported and fail. */
export const acceptedRule = <A extends string, V extends string>(attribute: A, values: z.ZodEnum<{ [K in V]: K }>, what: string) =>
  z.object({ attribute: z.literal(attribute), accepted: acceptedSet(values, what) });

/** `attribute = true|false`. */
export const booleanRule = <A extends string>(attribute: A, what: string) => z.object({ attribute: z.literal(attribute), expected: booleanExpected(what) });

/** `attribute >= 1.2.3`, compared component-wise. */
export const versionRule = <A extends string>(attribute: A) => z.object({ attribute: z.literal(attribute), operator: VersionOperator, value: DottedVersion });

/** `attribute within 24h`: the age of a time the source reports. */
export const withinRule = <A extends string>(attribute: A) => z.object({ attribute: z.literal(attribute), within: LastSeenBucket });
