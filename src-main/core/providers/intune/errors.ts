// Entra token errors and Graph errors as diagnoses an admin can act on: the AADSTS code or Graph status
// named, the cause in admin terms, the fix in the portal's words.
import { z } from 'zod';
import { ProviderError, type Diagnosis } from '../diagnosis';
import type { HttpResponse } from '../http';

export const READ_PERMISSION = 'DeviceManagementManagedDevices.Read.All';

const TokenError = z.looseObject({
  error: z.string().nullish(),
  error_description: z.string().nullish(),
  error_codes: z.array(z.number()).nullish(),
});

const GraphError = z.looseObject({
  error: z.looseObject({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
});

/** The AADSTS number of a token error ("AADSTS7000222: …" or error_codes [7000222]). */
export function aadstsCode(body: unknown): number | undefined {
  const parsed = TokenError.safeParse(body);
  if (!parsed.success) return undefined;
  const fromList = parsed.data.error_codes?.[0];
  if (fromList !== undefined) return fromList;
  const m = /AADSTS(\d+)/.exec(parsed.data.error_description ?? '');
  return m ? Number(m[1]) : undefined;
}

/** Intune wraps its message as JSON in the Graph message, sometimes twice: the innermost readable Message. */
export function graphMessage(body: unknown): { code: string; message: string } {
  const parsed = GraphError.safeParse(body);
  const outer = parsed.success ? parsed.data.error : undefined;
  let message = outer?.message ?? '';
  let code = outer?.code ?? '';
  for (let depth = 0; depth < 3 && message.trim().startsWith('{'); depth++) {
    try {
      const inner = JSON.parse(message) as { Message?: unknown; ErrorCode?: unknown };
      if (typeof inner.ErrorCode === 'string' && code === 'UnknownError') code = inner.ErrorCode;
      message = typeof inner.Message === 'string' ? inner.Message : '';
    } catch {
      break;
    }
  }
  // Drop the support trail ("- Operation ID … - Activity ID … - Url: …"): it says nothing to an admin.
  return { code, message: message.split(' - Operation ID')[0]!.trim() };
}

const APP_OVERVIEW = 'Entra admin center > Identity > Applications > App registrations > your app > Overview';

/** A failed token request, by its AADSTS code. */
export function tokenFailure(res: HttpResponse, tenant: string): ProviderError {
  const code = aadstsCode(res.body);
  const parsed = TokenError.safeParse(res.body);
  const description = parsed.success ? (parsed.data.error_description ?? '').split('\r\n')[0]!.split(' Trace ID')[0]! : '';
  const observed = res.redact(
    `HTTP ${res.status}${parsed.success && parsed.data.error ? ` ${parsed.data.error}` : ''}${description ? `: ${description}` : ''}`,
  );
  const d = (diagnosis: Omit<Diagnosis, 'status' | 'observed'>) => new ProviderError({ ...diagnosis, status: res.status, observed });
  switch (code) {
    case 90002:
    case 900023:
      return d({
        code: 'intune.tenant_not_found',
        message: `Entra ID has no tenant "${tenant}" in this cloud (AADSTS${code}).`,
        fix: `Copy Directory (tenant) ID from ${APP_OVERVIEW}, and check the cloud (a US Gov or China tenant does not exist in the global cloud).`,
      });
    case 700016:
      return d({
        code: 'intune.app_not_found',
        message: 'This tenant has no app with this client ID (AADSTS700016): the client ID is mistyped or the app is registered in another tenant.',
        fix: `Copy Application (client) ID from ${APP_OVERVIEW}, and use the tenant ID shown on the same page.`,
      });
    case 7000215:
      return d({
        code: 'intune.bad_secret',
        message: 'Entra ID refused the client secret (AADSTS7000215). Often the Secret ID was pasted instead of its Value.',
        fix: 'In the app registration open Certificates & secrets, create a new client secret and paste its Value (shown only once), not its Secret ID.',
      });
    case 7000222:
      return d({
        code: 'intune.secret_expired',
        message: 'The client secret has expired (AADSTS7000222).',
        fix: 'In the app registration open Certificates & secrets, create a new client secret, paste its Value here, and note its expiry date.',
      });
    case 1002012:
    case 70011:
      return d({
        code: 'intune.bad_scope',
        message: `Entra ID refused the Graph scope for this cloud (AADSTS${code}): the app or tenant belongs to another national cloud.`,
        fix: 'Choose the cloud the tenant lives in (Global, US Gov GCC High, US Gov DoD or China), and register the app in that cloud’s portal.',
      });
  }
  if (res.status === 401 || res.status === 400)
    return d({
      code: 'intune.sign_in_refused',
      message: 'Entra ID refused to sign the app in.',
      fix: `Check the tenant ID, client ID and secret Value against ${APP_OVERVIEW} and Certificates & secrets.`,
    });
  return d({
    code: 'http.unexpected',
    message: `The Entra sign-in answered HTTP ${res.status}.`,
    fix: 'Try again; if it persists, check the Microsoft 365 service health.',
  });
}

/** A failed Graph call. */
export function graphFailure(res: HttpResponse, what: string): ProviderError {
  const { code, message } = graphMessage(res.body);
  const observed = res.redact(`HTTP ${res.status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`);
  const d = (diagnosis: Omit<Diagnosis, 'status' | 'observed'>) => new ProviderError({ ...diagnosis, status: res.status, observed });
  if (res.status === 403)
    return d({
      code: 'intune.consent_missing',
      message: `Graph refused to ${what}: the app lacks the ${READ_PERMISSION} application permission, or an admin has not consented to it.`,
      fix: `In the app registration open API permissions > Add a permission > Microsoft Graph > Application permissions > ${READ_PERMISSION}, then Grant admin consent.`,
    });
  if (res.status === 401)
    return d({
      code: 'intune.token_rejected',
      message: `Graph rejected the access token to ${what} (wrong audience or cloud).`,
      fix: 'Choose the cloud the tenant lives in; the token must be for that cloud’s Graph host.',
    });
  if (res.status === 400 && /not applicable to target tenant/i.test(message))
    return d({
      code: 'intune.not_licensed',
      message: 'This tenant has no Intune licence, so Graph has no managed devices for it.',
      fix: 'Assign a Microsoft Intune licence in the tenant (Microsoft 365 admin center > Billing > Licenses).',
    });
  return d({
    code: 'intune.bad_request',
    message: `Graph answered HTTP ${res.status} to ${what}.`,
    fix: 'Try again; if it persists, report it with the observed answer.',
  });
}
