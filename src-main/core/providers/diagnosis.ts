// Every provider failure as a value an admin can act on: a code, what went wrong, and the fix.
import { z } from 'zod';
import { ContractError } from '../../../src-shared/errors';

export const DiagnosisCode = z.enum([
  'net.dns',
  'net.refused',
  'net.reset',
  'net.timeout',
  'net.tls',
  'net.tls_intercepted',
  'net.unreachable',
  'net.aborted',
  'http.rate_limited',
  'http.server_error',
  'http.malformed',
  'http.not_api',
  'http.too_large',
  'http.unexpected',
  'clock.skew',
  /** A count, name or date a provider reported that cannot be believed (Test steps name it instead of repeating it). */
  'provider.implausible_value',
  'falcon.bad_credentials',
  'falcon.bad_client_id',
  'falcon.ip_not_allowed',
  'falcon.token_rejected',
  'falcon.scope_missing',
  'falcon.wrong_region',
  'falcon.bad_request',
  'falcon.no_hosts',
  'falcon.no_assessments',
  'falcon.serials_missing',
  'falcon.customer_id_mismatch',
  's1.not_console',
  's1.unauthorized',
  's1.token_expired',
  's1.token_expiring',
  's1.site_scoped',
  's1.forbidden',
  's1.bad_request',
  's1.expiry_unknown',
  's1.no_agents',
  'jamf.not_jamf',
  'jamf.bad_client',
  'jamf.token_rejected',
  'jamf.role_missing',
  'jamf.old_server',
  'jamf.no_computers',
  'kandji.web_app_host',
  'kandji.wrong_region',
  'kandji.not_kandji',
  'kandji.token_rejected',
  'kandji.permission_missing',
  'kandji.budget_exhausted',
  'kandji.no_devices',
  'custom.auth_failed',
  'custom.bad_url_or_method',
  'custom.malformed_response',
  'custom.access_redirect',
  'custom.throttled',
  'custom.unavailable',
  'custom.invalid_entries',
  'custom.unknown_ids',
  'custom.no_scores',
  'intune.tenant_not_found',
  'intune.app_not_found',
  'intune.bad_secret',
  'intune.secret_expired',
  'intune.bad_scope',
  'intune.sign_in_refused',
  'intune.consent_missing',
  'intune.token_rejected',
  'intune.not_licensed',
  'intune.bad_request',
  'intune.foreign_link',
  'intune.paging_loop',
  'intune.no_devices',
  'intune.serials_missing',
]);
export type DiagnosisCode = z.infer<typeof DiagnosisCode>;

export const Diagnosis = z.object({
  code: DiagnosisCode,
  message: z.string(),
  fix: z.string(),
  status: z.number().optional(),
  observed: z.string().optional(),
  /** The console label of a missing Falcon scope, e.g. "Hosts: Read". */
  scope: z.string().optional(),
  /** When a rate limit lifts, epoch ms (for 'http.rate_limited'). */
  retryAt: z.number().optional(),
});
export type Diagnosis = z.infer<typeof Diagnosis>;

/** A ContractError that carries its diagnosis; it never holds the request, its headers or a cause chain. */
export class ProviderError extends ContractError {
  readonly diagnosis: Diagnosis;

  constructor(diagnosis: Diagnosis) {
    super({ code: diagnosis.code, message: diagnosis.message, fix: diagnosis.fix });
    this.name = 'ProviderError';
    this.diagnosis = diagnosis;
  }

  toJSON(): Diagnosis {
    return this.diagnosis;
  }
}

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}

/** Longest server text we quote back to the admin. */
const OBSERVED_MAX = 300;

/** Removes every secret (and anything after a Bearer/Basic/ApiToken keyword) from text we might show or log. */
export function scrub(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  out = out.replace(/\b(Bearer|Basic|ApiToken)\s+[^\s"',;]+/gi, '$1 [redacted]');
  // A bare "token" is also an English word: redact only what looks like a credential after it, so
  // "Failed to issue access token - Not Authorized" stays readable.
  out = out.replace(/\b(Token)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]');
  out = out.replace(/(client_secret|access_token|apiToken|token)(["']?\s*[:=]\s*["']?)[^\s"'&,;}]+/gi, '$1$2[redacted]');
  return out.length > OBSERVED_MAX ? `${out.slice(0, OBSERVED_MAX)}…` : out;
}
