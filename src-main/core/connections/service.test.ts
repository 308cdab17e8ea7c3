import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src-shared/dispatch';
import type { App } from '../app';
import { createTestApp } from '../test-app.testkit';

const SECRET = 'Zr8xq2LmN4vB7cT1yU6wE9pA3sD5fG0h';

const apps: App[] = [];
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
});

async function newApp() {
  const made = await createTestApp();
  apps.push(made.app);
  return made;
}

const zta = {
  kind: 'crowdstrike-zta',
  name: 'Falcon',
  clientId: '0123456789abcdef0123456789ABCDEF',
  clientSecret: SECRET,
  customerId: '0123456789abcdef0123456789abcdef-1a',
  region: 'us-2',
};

describe('providers as data', () => {
  it('saves a provider, normalizes ids, and says only that the secret is set and when', async () => {
    const { app, dir } = await newApp();
    const res = await dispatch(app.handlers, 'providers.save', zta);
    expect(res.ok).toBe(true);
    const [view] = await app.handlers['providers.list']({});
    expect(view!.config).toMatchObject({
      kind: 'crowdstrike-zta',
      clientId: '0123456789abcdef0123456789abcdef',
      customerId: '0123456789ABCDEF0123456789ABCDEF-1A',
      pollInterval: '1h',
    });
    expect(view!.secret).toMatchObject({ configured: true, changedAt: expect.any(String) });
    // No part of the secret crosses the boundary, not even its last characters.
    expect(JSON.stringify(view)).not.toContain(SECRET.slice(-4));
    expect(JSON.stringify(view)).not.toContain(SECRET);
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).not.toContain(SECRET);
    expect(await app.connections.getSecret(view!.config.id)).toBe(SECRET);
  });

  it('names the field and the fix for each invalid value, and saves nothing', async () => {
    const { app } = await newApp();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ ...zta, clientId: 'xyz' }, 'clientId', /32 hexadecimal/],
      [{ ...zta, customerId: '1234' }, 'customerId', /Sensor downloads/],
      [{ ...zta, region: 'custom' }, 'baseUrl', /custom region needs its base URL/],
      [{ ...zta, region: 'custom', baseUrl: 'http://example.com' }, 'baseUrl', /https/],
      [{ ...zta, pollInterval: '2m' }, 'pollInterval', /5m, 10m/],
      [{ kind: 'sentinelone', name: 'S1', apiUrl: 'ftp://x', apiToken: 't' }, 'apiUrl', /https/],
      [{ ...zta, name: '   ' }, 'name', /Enter a name/],
    ];
    for (const [input, path, message] of cases) {
      const res = await dispatch(app.handlers, 'providers.save', input);
      expect(res.ok, path).toBe(false);
      if (!res.ok) expect(res.error.issues?.find((i) => i.path === path)?.message, path).toMatch(message);
    }
    expect(await app.handlers['providers.list']({})).toEqual([]);
  });

  it('accepts plain http only to loopback (the simulator)', async () => {
    const { app } = await newApp();
    const res = await dispatch(app.handlers, 'providers.save', { ...zta, region: 'custom', baseUrl: 'http://127.0.0.1:4010/' });
    expect(res.ok).toBe(true);
  });

  it('requires the secret on create but keeps the stored one on edit', async () => {
    const { app } = await newApp();
    const { clientSecret: _omit, ...noSecret } = zta;
    const missing = await dispatch(app.handlers, 'providers.save', noSecret);
    expect(missing).toMatchObject({ ok: false, error: { issues: [{ path: 'clientSecret' }] } });
    const created = await app.handlers['providers.save'](zta as never);
    const edited = await app.handlers['providers.save']({ ...noSecret, id: created.config.id, name: 'Falcon EU', region: 'eu-1' } as never);
    expect(edited.config.name).toBe('Falcon EU');
    expect(await app.connections.getSecret(created.config.id)).toBe(SECRET);
  });

  it('refuses duplicate names (case-insensitive) and kind changes', async () => {
    const { app } = await newApp();
    const first = await app.handlers['providers.save'](zta as never);
    const dup = await dispatch(app.handlers, 'providers.save', { ...zta, name: 'FALCON' });
    expect(dup).toMatchObject({ ok: false, error: { issues: [{ path: 'name' }] } });
    const kind = await dispatch(app.handlers, 'providers.save', {
      kind: 'sentinelone',
      id: first.config.id,
      name: 'x',
      apiUrl: 'https://a.sentinelone.net',
      apiToken: 't',
    });
    expect(kind).toMatchObject({ ok: false, error: { issues: [{ path: 'kind' }] } });
  });

  it('removes the provider and its secret', async () => {
    const { app } = await newApp();
    const created = await app.handlers['providers.save'](zta as never);
    expect(await app.handlers['providers.remove']({ id: created.config.id })).toEqual({ removed: true });
    expect(await app.handlers['providers.list']({})).toEqual([]);
    await expect(app.connections.getSecret(created.config.id)).rejects.toMatchObject({ code: 'vault.missing' });
    expect(await app.handlers['providers.remove']({ id: created.config.id })).toEqual({ removed: false });
  });
});
