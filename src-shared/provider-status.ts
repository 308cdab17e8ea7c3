// One health for a provider, derived here and nowhere else, in one vocabulary for every screen and the CLI.
import type { ProviderHealth, ProviderHealthState, ProviderKind, ProviderStatus } from './schemas/providers';

export const providerHealthWords: Record<ProviderHealthState, string> = {
  healthy: 'Healthy',
  failing: 'Failing',
  not_contacted: 'Not contacted',
  no_checks: 'No checks',
};

/**
 * Tests and polls both record their outcome: a success clears `lastError`, a failure sets it. So an error
 * means the latest contact failed, whichever kind it was; a success of either kind means the connection works.
 * A posture provider that works but has no enabled check evaluates nothing, and says so.
 */
export function providerStatusOf(kind: ProviderKind, health: ProviderHealth, enabledChecks: number): ProviderStatus {
  if (health.lastError) return { state: 'failing', detail: health.lastError };
  const contacted = health.lastSuccessAt !== null || health.lastTestOk === true;
  if (!contacted) return { state: 'not_contacted', detail: 'Not tested or polled yet: press Test to check the connection.' };
  if (kind !== 'crowdstrike-falcon-incidents' && enabledChecks === 0)
    return { state: 'no_checks', detail: 'Connected, but no enabled posture check runs on this provider, so it evaluates nothing. Add a check.' };
  return { state: 'healthy', detail: 'The last test or poll succeeded.' };
}
