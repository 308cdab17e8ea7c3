// The web host's transport takes the boot script's answer to a call it sent ahead, once, and asks itself otherwise.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { webTransport } from './web-transport';

const answer = (value: unknown) => new Response(JSON.stringify({ ok: true, value }), { headers: { 'content-type': 'application/json' } });

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  delete window.postureConsoleAhead;
});

describe('the web transport', () => {
  it('answers a call the boot script sent ahead with that answer, once, and asks the host for the next one', async () => {
    const fetch = vi.fn(() => Promise.resolve(answer('asked')));
    vi.stubGlobal('fetch', fetch);
    window.postureConsoleAhead = { 'app.info': { '{}': Promise.resolve(answer('sent ahead')) } };
    const { invoke } = webTransport();

    await expect(invoke('app.info', {})).resolves.toEqual({ ok: true, value: 'sent ahead' });
    expect(fetch).not.toHaveBeenCalled();
    await expect(invoke('app.info', {})).resolves.toEqual({ ok: true, value: 'asked' });
    expect(fetch).toHaveBeenCalledWith('/api/invoke/app.info', expect.objectContaining({ method: 'POST', body: '{}' }));
  });

  it('asks the host when the body differs from the one sent ahead, or the request sent ahead failed', async () => {
    const fetch = vi.fn(() => Promise.resolve(answer('asked')));
    vi.stubGlobal('fetch', fetch);
    window.postureConsoleAhead = {
      'postureLog.count': { '{"view":"changes"}': Promise.resolve(answer(1)) },
      'settings.get': { '{}': Promise.reject(new Error('offline')) },
    };
    const { invoke } = webTransport();

    await expect(invoke('postureLog.count', { view: 'latest' })).resolves.toEqual({ ok: true, value: 'asked' });
    await expect(invoke('settings.get', {})).resolves.toEqual({ ok: true, value: 'asked' });
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('leaves an answer sent ahead that no call took in the first seconds, and asks the host for fresh data', async () => {
    const fetch = vi.fn(() => Promise.resolve(answer('asked')));
    vi.stubGlobal('fetch', fetch);
    window.postureConsoleAhead = { 'providers.list': { '{}': Promise.resolve(answer('from the start')) } };
    vi.spyOn(performance, 'now').mockReturnValue(60_000);
    const { invoke } = webTransport();

    await expect(invoke('providers.list', {})).resolves.toEqual({ ok: true, value: 'asked' });
    expect(window.postureConsoleAhead).toBeUndefined();
  });
});
