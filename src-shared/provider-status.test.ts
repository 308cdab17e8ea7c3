import { describe, expect, it } from 'vitest';
import { providerStatusOf } from './provider-status';
import type { ProviderHealth } from './schemas/providers';

const none: ProviderHealth = { lastTestAt: null, lastTestOk: null, lastSuccessAt: null, lastError: null };
const at = '2026-12-06T10:00:00.000Z';

describe('provider health, from the last test and the last poll together', () => {
  it('a provider never tested nor polled is not contacted', () => {
    expect(providerStatusOf('crowdstrike-zta', none, 2).state).toBe('not_contacted');
  });

  it('a failed poll of a provider never tested is failing, with the poll error', () => {
    expect(providerStatusOf('sentinelone', { ...none, lastError: 'The API token is not valid.' }, 1)).toEqual({
      state: 'failing',
      detail: 'The API token is not valid.',
    });
  });

  it('a passing poll after a failed test is healthy (the latest contact wins)', () => {
    expect(providerStatusOf('crowdstrike-zta', { lastTestAt: at, lastTestOk: false, lastSuccessAt: at, lastError: null }, 1).state).toBe('healthy');
  });

  it('a posture provider that works but has no enabled check says so; the incidents connection has no checks to have', () => {
    const polled = { ...none, lastSuccessAt: at };
    expect(providerStatusOf('sentinelone', polled, 0).state).toBe('no_checks');
    expect(providerStatusOf('crowdstrike-falcon-incidents', { ...none, lastTestAt: at, lastTestOk: true }, 0).state).toBe('healthy');
  });

  it('a failure outranks having no checks', () => {
    expect(providerStatusOf('crowdstrike-zta', { ...none, lastError: 'Falcon rejected the Client ID or Client Secret.' }, 0).state).toBe('failing');
  });
});
