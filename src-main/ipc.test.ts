import { describe, expect, it } from 'vitest';
import type { IpcMainInvokeEvent } from 'electron';
import { contract, type Handlers } from '../src-shared/contract';
import { silentLogger } from './core/log';
import { bindContract } from './ipc';
import { isTrustedSender } from './window-policy';

const APP_URL = 'file:///opt/posture-console/out/renderer/index.html';

function fakeIpcMain() {
  const bound = new Map<string, (event: IpcMainInvokeEvent, raw: unknown) => Promise<unknown>>();
  return {
    handle: (channel: string, listener: (event: IpcMainInvokeEvent, raw: unknown) => Promise<unknown>) => void bound.set(channel, listener),
    bound,
  };
}

const calls: unknown[] = [];
const handlers = {
  'app.info': async () => {
    throw new Error('not used');
  },
  'settings.get': async () => ({ theme: 'dark', density: 'compact' }),
  'settings.update': async (req: unknown) => {
    calls.push(req);
    return { theme: 'light', density: 'compact' };
  },
} as unknown as Handlers;

function eventFrom(url: string, parent: unknown = null) {
  return { senderFrame: { url, parent } } as unknown as IpcMainInvokeEvent;
}

function bind() {
  const ipc = fakeIpcMain();
  bindContract(ipc as never, handlers, { isTrusted: (e) => isTrustedSender(e.senderFrame, APP_URL), logger: silentLogger });
  return ipc.bound;
}

describe('IPC binding', () => {
  it('binds every contract channel and nothing else', () => {
    expect([...bind().keys()].sort()).toEqual(Object.keys(contract).sort());
  });

  it('refuses a sender that is not the app page, before looking at the payload', async () => {
    calls.length = 0;
    const res = await bind().get('settings.update')!(eventFrom('https://evil.example/'), { theme: 'light' });
    expect(res).toMatchObject({ ok: false, error: { code: 'untrusted_sender' } });
    expect(calls).toEqual([]);
  });

  it('refuses a sub-frame even when it shows the app URL', async () => {
    const res = await bind().get('settings.get')!(eventFrom(`${APP_URL}#/status`, { url: APP_URL }), {});
    expect(res).toMatchObject({ ok: false, error: { code: 'untrusted_sender' } });
  });

  it('rejects a bad payload naming the field and its allowed values and does not call the handler', async () => {
    calls.length = 0;
    const res = await bind().get('settings.update')!(eventFrom(`${APP_URL}#/settings`), { theme: 'purple' });
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: [{ path: 'theme' }] } });
    expect(JSON.stringify(res)).toContain('Theme must be one of system, light, dark.');
    expect(calls).toEqual([]);
  });

  it('rejects unknown keys rather than passing them through', async () => {
    const res = await bind().get('settings.update')!(eventFrom(APP_URL), { theme: 'light', __proto__: { admin: true }, extra: 1 });
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('answers the app page with the handler result', async () => {
    const res = await bind().get('settings.get')!(eventFrom(`${APP_URL}#/`), {});
    expect(res).toEqual({ ok: true, value: { theme: 'dark', density: 'compact' } });
  });

  it('hides the internals of an unexpected failure', async () => {
    const res = await bind().get('app.info')!(eventFrom(APP_URL), {});
    expect(res).toEqual({ ok: false, error: { code: 'internal', message: expect.not.stringContaining('not used') } });
  });
});
