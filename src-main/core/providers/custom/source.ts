// A custom endpoint connection as the app uses it: the client with the vault's secret in the configured auth mode,
// and what a poll needs besides (fail-closed setting, staleness, the last good scores).
import type { ProviderConfig } from '../../../../src-shared/schemas/providers';
import { pollIntervalMs } from '../../../../src-shared/schemas/providers';
import type { Clock } from '../clock';
import type { HttpClient } from '../http';
import { createCustomClient, type CustomAuth } from './client';
import type { CustomPollClient } from './observe';

type CustomConfig = Extract<ProviderConfig, { kind: 'custom' }>;

export function customClientOf(config: CustomConfig, ctx: { http: HttpClient; getSecret: () => Promise<string>; clock?: Clock }) {
  const getAuth = async (): Promise<CustomAuth> => {
    if (config.auth === 'none') return { mode: 'none' };
    const secret = await ctx.getSecret();
    return config.auth === 'cloudflareAccess'
      ? { mode: 'cloudflareAccess', clientId: config.accessClientId ?? '', clientSecret: secret }
      : { mode: 'bearer', token: secret };
  };
  return {
    client: createCustomClient({
      url: config.url,
      getAuth,
      http: ctx.http,
      ...(ctx.clock ? { clock: ctx.clock } : {}),
      batchSize: config.batchSize,
      timeoutMs: config.timeoutMs,
      userAgent: 'PostureConsole/0.1',
    }),
  };
}

export function createCustomSource(config: CustomConfig, ctx: { http: HttpClient; getSecret: () => Promise<string> }): CustomPollClient {
  const { client } = customClientOf(config, ctx);
  return {
    client,
    failClosed: config.failClosed,
    staleAfterMs: 3 * pollIntervalMs[config.pollInterval],
    now: () => ctx.http.clock.now(),
    last: new Map(),
  };
}
