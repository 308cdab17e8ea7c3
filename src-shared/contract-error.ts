// The error value both transports carry, without zod: the renderer's start path imports this, and the schemas
// (src-shared/errors.ts) load only with the code that validates.
import type { ErrorBody, FieldIssue } from './errors';

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
