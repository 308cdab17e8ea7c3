import { describe, expect, it } from 'vitest';
import type { Handlers } from './contract';
import { dispatch } from './dispatch';
import { ContractError } from './errors';

const handlers = {
  'settings.get': async () => {
    throw new ContractError({ code: 'demo.failure', message: 'Settings are locked.', fix: 'Unlock them.' });
  },
} as unknown as Handlers;

describe('dispatch', () => {
  it('rejects an unknown channel by name', async () => {
    expect(await dispatch(handlers, 'providers.exfiltrate', {})).toEqual({
      ok: false,
      error: { code: 'unknown_channel', message: "Unknown channel 'providers.exfiltrate'." },
    });
  });

  it('does not treat Object.prototype members as channels', async () => {
    expect(await dispatch(handlers, 'constructor', {})).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(await dispatch(handlers, '__proto__', {})).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
  });

  it('keeps a domain error code and fix across the boundary', async () => {
    expect(await dispatch(handlers, 'settings.get', {})).toEqual({
      ok: false,
      error: { code: 'demo.failure', message: 'Settings are locked.', fix: 'Unlock them.' },
    });
  });
});
