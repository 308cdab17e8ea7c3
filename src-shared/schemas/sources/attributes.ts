// What a posture attribute is, in data: its label, the rule shape an admin fills in, and the posture field it
// reads. A new source describes its attributes with these and gets rule text, editor fields and evaluation for free.
import { z } from 'zod';
import { CompareOperator, DottedVersion, LastSeenBucket, VersionOperator, acceptedSet, booleanExpected } from './fields';

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
  | { shape: 'within'; label: string; field: string; description: string; defaultWithin: LastSeenBucket }
  /** Free-text names (a Kandji blueprint): `attribute in (names)`, compared exactly. */
  | { shape: 'names'; label: string; field: string; description: string; placeholder: string }
  /**
   * A number compared with an operator (a custom score 0-100). `closedField` names a posture boolean: when it is
   * true, a device without a value fails instead of being unknown (the custom source's fail-closed setting).
   */
  | { shape: 'number'; label: string; field: string; min: number; max: number; defaultOperator: CompareOperator; defaultValue: number; closedField?: string }
  /** One entry of a map the source reports (the custom endpoint's attributes): `attributes.<key> <op> <value>`. */
  | { shape: 'keyed'; label: string; field: string; placeholder: string };

/** `attribute in (values)`; values outside the enum are shown as reported and fail. */
export const acceptedRule = <A extends string, V extends string>(attribute: A, values: z.ZodEnum<{ [K in V]: K }>, what: string) =>
  z.object({ attribute: z.literal(attribute), accepted: acceptedSet(values, what) });

/** `attribute = true|false`. */
export const booleanRule = <A extends string>(attribute: A, what: string) => z.object({ attribute: z.literal(attribute), expected: booleanExpected(what) });

/** `attribute >= 1.2.3`, compared component-wise. */
export const versionRule = <A extends string>(attribute: A) => z.object({ attribute: z.literal(attribute), operator: VersionOperator, value: DottedVersion });

/** `attribute within 24h`: the age of a time the source reports. */
export const withinRule = <A extends string>(attribute: A) => z.object({ attribute: z.literal(attribute), within: LastSeenBucket });

const NAMES_MESSAGE = 'Enter at least one name (50 at most), each up to 128 characters.';

/** `attribute in (names)`: free text, trimmed, duplicates dropped, kept in the order typed. */
export const namesRule = <A extends string>(attribute: A, what: string) =>
  z.object({
    attribute: z.literal(attribute),
    accepted: z
      .array(z.string().trim().min(1, `A ${what} name cannot be empty.`).max(128, NAMES_MESSAGE), { error: NAMES_MESSAGE })
      .min(1, `Enter at least one ${what} name.`)
      .max(50, NAMES_MESSAGE)
      .transform((names) => [...new Set(names)]),
  });

/** `attribute <op> n` with n a whole number in [min, max]. */
export const numberRule = <A extends string>(attribute: A, min: number, max: number, what: string) => {
  const message = `${what} must be a whole number from ${min} to ${max}.`;
  return z.object({
    attribute: z.literal(attribute),
    operator: CompareOperator,
    value: z.number({ error: message }).int(message).min(min, message).max(max, message),
  });
};

export const KeyedOperator = z.enum(['==', '!=', '<', '<=', '>', '>='], { error: 'Operator must be one of ==, !=, <, <=, >, >=.' });
export type KeyedOperator = z.infer<typeof KeyedOperator>;

/** `attributes.<key> <op> <value>`: text and true/false compare with == and != only; numbers with any operator. */
export const keyedRule = <A extends string>(attribute: A) =>
  z
    .object({
      attribute: z.literal(attribute),
      key: z
        .string({ error: 'Enter the attribute name the endpoint sends.' })
        .trim()
        .min(1, 'Enter the attribute name the endpoint sends.')
        .max(64, 'Keep the attribute name to 64 characters.'),
      operator: KeyedOperator,
      value: z.union([z.string().max(256, 'Keep the value to 256 characters.'), z.number().finite(), z.boolean()], {
        error: 'The value must be text, a number or true/false.',
      }),
    })
    .refine((r) => typeof r.value === 'number' || r.operator === '==' || r.operator === '!=', {
      path: ['operator'],
      message: '<, <=, > and >= compare numbers; use == or != for text and true/false.',
    });
