import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../src-shared/dispatch';
import { startApp } from '../../reliability/harness';

describe('removing a detections integration', () => {
  it('stops its poller without an unhandled rejection (its last status named a connection already gone)', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    const { app, close } = await startApp();
    try {
      const saved = await dispatch(app.handlers, 'providers.save', {
        kind: 'crowdstrike-falcon-incidents',
        name: 'Detections',
        clientId: 'c'.repeat(32),
        clientSecret: 'removal-test-secret-0000',
        region: 'custom',
        baseUrl: 'http://127.0.0.1:9',
      });
      if (!saved.ok) throw new Error(saved.error.message);
      const id = (saved.value as { config: { id: string } }).config.id;
      expect(await dispatch(app.handlers, 'providers.remove', { id })).toEqual({ ok: true, value: { removed: true } });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
      await close();
    }
  });
});
