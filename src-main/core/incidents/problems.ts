// Any failure as an IncidentProblem the admin can act on: a provider diagnosis keeps its observation and
// fix, a domain error its code; anything else is reported without its stack. Bad input as field-level issues.
import type { z } from 'zod';
import { ContractError, adminErrorMap, invalidInput } from '../../../src-shared/errors';
import type { IncidentProblem } from '../../../src-shared/schemas/incidents';
import { isProviderError, scrub } from '../providers/diagnosis';

export function describeProblem(error: unknown): IncidentProblem {
  if (isProviderError(error)) {
    const { code, message, fix, observed } = error.diagnosis;
    return { code, message, fix, ...(observed ? { observed } : {}) };
  }
  if (error instanceof ContractError) return { code: error.code, message: error.message, ...(error.fix ? { fix: error.fix } : {}) };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: scrub(message), fix: 'Try again; if it keeps failing, the log has details.' };
}

/** "What happened — the fix", as the timeline shows it. */
export function problemText(problem: { message: string; fix?: string | undefined }): string {
  return problem.fix ? `${problem.message} — ${problem.fix}` : problem.message;
}

/** The diagnosis code of a failure, if it came from a provider. */
export function problemCode(error: unknown): string | undefined {
  return isProviderError(error) ? error.diagnosis.code : error instanceof ContractError ? error.code : undefined;
}

/** Parses input, or throws the field-level `invalid_input` error the transports give, for direct callers too. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(input, { error: adminErrorMap });
  if (!parsed.success) throw invalidInput(parsed.error, what);
  return parsed.data;
}
