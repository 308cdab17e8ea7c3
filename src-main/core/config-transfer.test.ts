import { afterAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-shared/dispatch';
import type { App } from './app';
import { createTestApp } from './test-app.testkit';

const SECRET = 'Qm9vLXNlY3JldC12YWx1ZS0xMjM0NTY3ODkw';
const apps: App[] = [];
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
});

async function newApp() {
  const { app } = await createTestApp();
  apps.push(app);
  return app;
}

async function call<T>(app: App, channel: string, req: unknown): Promise<T> {
  const res = await dispatch(app.handlers, channel, req);
  if (!res.ok) throw new Error(JSON.stringify(res.error));
  return res.value as T;
}

describe('configuration export and import', () => {
  it('moves providers, checks, rules and retention without secrets', async () => {
    const source = await newApp();
    const provider = await call<{ config: { id: string } }>(source, 'providers.save', {
      kind: 'sentinelone',
      name: 'S1 EMEA',
      apiUrl: 'https://emea.sentinelone.net',
      apiToken: SECRET,
    });
    await call(source, 'checks.save', { name: 'Not infected', providerId: provider.config.id, rule: { attribute: 'infected', expected: false } });
    await call(source, 'preferences.update', { retentionDays: 90 });
    const { text } = await call<{ text: string }>(source, 'config.export', {});
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(Buffer.from(SECRET).toString('base64'));

    const target = await newApp();
    const result = await call<{ providers: number; checks: number; needSecrets: { name: string }[] }>(target, 'config.import', { text });
    expect(result).toMatchObject({ providers: 1, checks: 1, needSecrets: [{ name: 'S1 EMEA' }] });
    const [view] = await call<{ secret: { configured: boolean } }[]>(target, 'providers.list', {});
    expect(view!.secret.configured).toBe(false);
    expect((await call<{ retentionDays: number }>(target, 'preferences.get', {})).retentionDays).toBe(90);
    expect(await call<unknown[]>(target, 'checks.list', {})).toHaveLength(1);
  });

  it('rejects a damaged file as a whole and changes nothing', async () => {
    const app = await newApp();
    const bad = JSON.stringify({
      format: 'posture-console-config',
      version: 1,
      exportedAt: 'x',
      providers: [{ kind: 'sentinelone', id: 'p', name: 'S1', apiUrl: 'ftp://x', pollInterval: '1h' }],
      checks: [],
      ruleSet: null,
      enrichmentMapping: null,
      retentionDays: 30,
    });
    const res = await dispatch(app.handlers, 'config.import', { text: bad });
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.issues?.[0]?.path).toBe('providers.0.apiUrl');
    expect(await call<unknown[]>(app, 'providers.list', {})).toEqual([]);
    const notJson = await dispatch(app.handlers, 'config.import', { text: '{nope' });
    expect(notJson).toMatchObject({ ok: false, error: { message: 'The file is not valid JSON.' } });
  });

  it('validates preferences with the field and the limit', async () => {
    const app = await newApp();
    const res = await dispatch(app.handlers, 'preferences.update', { retentionDays: 0 });
    expect(res).toMatchObject({ ok: false, error: { issues: [{ path: 'retentionDays', message: 'Keep the log for at least 1 day.' }] } });
  });
});

describe('default polling frequency', () => {
  it('is a preference with the fixed set of intervals', async () => {
    const app = await newApp();
    expect((await call<{ defaultPollInterval: string }>(app, 'preferences.get', {})).defaultPollInterval).toBe('1h');
    expect((await call<{ defaultPollInterval: string }>(app, 'preferences.update', { defaultPollInterval: '15m' })).defaultPollInterval).toBe('15m');
    const bad = await dispatch(app.handlers, 'preferences.update', { defaultPollInterval: '2m' });
    expect(bad).toMatchObject({ ok: false, error: { issues: [{ path: 'defaultPollInterval' }] } });
  });
});
