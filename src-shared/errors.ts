// Domain errors as values: a code, a message for the admin and the fix. Never a secret, never a stack.
import { z } from 'zod';
import { ContractError } from './contract-error';

export const FieldIssue = z.object({ path: z.string(), message: z.string() });
export type FieldIssue = z.infer<typeof FieldIssue>;

export const ErrorBody = z.object({
  code: z.string(),
  message: z.string(),
  fix: z.string().optional(),
  issues: z.array(FieldIssue).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Re-exported so the main process keeps one import; the renderer imports ./contract-error directly (no zod). */
export { ContractError };

/** "clientId" -> "client ID", "apiUrl" -> "API URL": the last named segment of a path, in words. */
export function fieldLabel(path: readonly PropertyKey[] | undefined): string {
  const last = [...(path ?? [])].reverse().find((p): p is string => typeof p === 'string');
  if (!last) return 'the value';
  return last
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase()
    .replace(/\b(id|url|api|cid|ioc|ip)\b/g, (w) => w.toUpperCase());
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const listOf = (values: readonly unknown[]) => values.map((v) => String(v)).join(', ');
const typeWords: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
};

/**
 * Admin wording for zod's built-in messages ("Invalid discriminator value", "expected string, received
 * undefined"): the field and what it accepts. A schema's own message always wins over this map.
 */
export const adminErrorMap: z.core.$ZodErrorMap = (issue) => {
  const field = fieldLabel(issue.path);
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `${capitalize(field)} is required.` : `${capitalize(field)} must be ${typeWords[issue.expected] ?? issue.expected}.`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `${capitalize(field)} must be ${String(issue.values[0])}.`
        : `${capitalize(field)} must be one of ${listOf(issue.values)}.`;
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      if (options?.length) return `${capitalize(field)} must be one of ${listOf(options)}.`;
      return `${capitalize(field)} is not in a form this field accepts.`;
    }
    case 'unrecognized_keys':
      return `Unknown field${issue.keys.length === 1 ? '' : 's'}: ${issue.keys.join(', ')}.`;
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1 ? `${capitalize(field)} is required.` : `${capitalize(field)} needs at least ${issue.minimum} characters.`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return `${capitalize(field)} needs at least ${issue.minimum} item${Number(issue.minimum) === 1 ? '' : 's'}.`;
      return `${capitalize(field)} must be at least ${issue.minimum}.`;
    case 'too_big':
      if (issue.origin === 'string') return `${capitalize(field)} takes at most ${issue.maximum} characters.`;
      if (issue.origin === 'array' || issue.origin === 'set') return `${capitalize(field)} takes at most ${issue.maximum} items.`;
      return `${capitalize(field)} must be at most ${issue.maximum}.`;
    case 'invalid_format':
      return `${capitalize(field)} is not a valid ${issue.format === 'datetime' ? 'ISO 8601 time such as 2026-11-01T00:00:00Z' : issue.format}.`;
    default:
      return undefined;
  }
};

/** Turns a zod failure into field-level issues a form can show next to each input. */
export function issuesFromZod(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
}

/** Every problem at once: one message naming each field, and a fix that fits any screen or terminal. */
export function invalidFields(issues: FieldIssue[], what = 'request'): ContractError {
  const message =
    issues.length === 0
      ? `Invalid ${what}.`
      : issues.length === 1
        ? `Invalid ${what}: ${issues[0]!.path}: ${issues[0]!.message}`
        : `Invalid ${what}: ${issues.length} problems: ${issues.map((i) => `${i.path}: ${i.message}`).join(' ')}`;
  return new ContractError({
    code: 'invalid_input',
    message,
    fix: issues.length > 1 ? 'Correct each field named above and try again.' : 'Correct the field named above and try again.',
    issues,
  });
}

export function invalidInput(error: z.ZodError, what = 'request'): ContractError {
  return invalidFields(issuesFromZod(error), what);
}
