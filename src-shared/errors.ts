// Domain errors as values: a code, a message for the admin and the fix. Never a secret, never a stack.
import { z } from 'zod';

export const FieldIssue = z.object({ path: z.string(), message: z.string() });
export type FieldIssue = z.infer<typeof FieldIssue>;

export const ErrorBody = z.object({
  code: z.string(),
  message: z.string(),
  fix: z.string().optional(),
  issues: z.array(FieldIssue).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Thrown by core handlers and re-thrown on the renderer side of either transport. */
export class ContractError extends Error {
  readonly code: string;
  readonly fix: string | undefined;
  readonly issues: FieldIssue[] | undefined;

  constructor(body: ErrorBody) {
    super(body.message);
    this.name = 'ContractError';
    this.code = body.code;
    this.fix = body.fix;
    this.issues = body.issues;
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message, fix: this.fix, issues: this.issues };
  }
}

/** Turns a zod failure into field-level issues a form can show next to each input. */
export function issuesFromZod(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
}

export function invalidInput(error: z.ZodError, what = 'request'): ContractError {
  const issues = issuesFromZod(error);
  const first = issues[0];
  return new ContractError({
    code: 'invalid_input',
    message: first ? `Invalid ${what}: ${first.path}: ${first.message}` : `Invalid ${what}`,
    fix: 'Correct the highlighted fields and try again.',
    issues,
  });
}
