// The demo with the simulator's real-world variance fault on (POSTURE_CONSOLE_DEMO_FAULTS=variance:*:30): records
// with optional fields missing, nulls and odd values still give every posture provider devices, passes and fails,
// and no failed poll.
import { expect, test } from '@playwright/test';
import { startConsoleHost, type ConsoleHost } from './console-host';

let host: ConsoleHost;

test.beforeAll(async () => {
  // The host process reads the variable when it starts; the other specs run without it.
  const before = process.env.POSTURE_CONSOLE_DEMO_FAULTS;
  process.env.POSTURE_CONSOLE_DEMO_FAULTS = 'variance:*:30';
  try {
    host = await startConsoleHost(['--demo']);
  } finally {
    if (before === undefined) delete process.env.POSTURE_CONSOLE_DEMO_FAULTS;
    else process.env.POSTURE_CONSOLE_DEMO_FAULTS = before;
  }
});

test.afterAll(async () => {
  await host?.stop();
});

test('under real-world variance both posture providers poll, with devices, passes and fails', async ({ page }) => {
  await page.goto(host.openUrl);
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Dashboard', exact: true }).click();
  for (const name of ['Falcon ZTA (simulator)', 'SentinelOne (simulator)']) {
    const card = page.getByRole('region', { name });
    await expect(card.getByTestId('devices-seen')).not.toHaveText('0', { timeout: 30_000 });
    await expect(card.getByTestId('health')).toHaveText('Healthy');
  }
  for (const result of ['pass', 'fail', 'unknown'] as const) await expect(page.getByTestId(`count-${result}`)).not.toHaveText('0');
});
