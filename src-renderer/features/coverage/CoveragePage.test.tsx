// The Coverage screen over a scripted transport: the matrix shows each pair's count (and "no data" for a source never
// polled), a cell lists that pair's devices, filters and Export CSV send exactly the chosen filter, a device opens with
// its why, and the Dashboard tile links the biggest gaps to their pair.
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Transport } from '../../api/bridge';
import type { CoverageItem, CoverageSummary } from '../../../src-shared/schemas/coverage';
import { CoverageGapsTile } from './CoverageGapsTile';
import { CoveragePage } from './CoveragePage';

const summary: CoverageSummary = {
  devices: 9,
  sources: [
    { providerId: 'cs', name: 'Falcon', kind: 'crowdstrike-zta', fetchedAt: 1, devices: 7 },
    { providerId: 's1', name: 'SentinelOne', kind: 'sentinelone', fetchedAt: 1, devices: 5 },
    { providerId: 's2', name: 'SentinelOne EU', kind: 'sentinelone', fetchedAt: null, devices: 0 },
  ],
  pairs: [
    { presentIn: 'cs', missingFrom: 's1', count: 4, byReason: { not_found: 3, possible_match: 1 } },
    { presentIn: 's1', missingFrom: 'cs', count: 2, byReason: { missing_serial: 2 } },
  ],
};

const item = (n: number, fields: Partial<CoverageItem> = {}): CoverageItem => ({
  key: `sn:SER${n}`,
  hostname: `host-${n}`,
  serial: `SER${n}`,
  serialStatus: 'valid',
  platform: 'Windows',
  presentIn: ['cs'],
  missingFrom: ['s1'],
  reason: 'not_found',
  why: `No SentinelOne agent reports serial SER${n}.`,
  ...fields,
});

let calls: { channel: string; req: unknown }[];

// jsdom lays nothing out: give the list's scroller the size a browser would, so the virtualizer renders rows.
for (const [prop, size] of [
  ['clientHeight', 560],
  ['clientWidth', 960],
] as const)
  Object.defineProperty(Element.prototype, prop, {
    configurable: true,
    get(this: Element) {
      return this.getAttribute('data-testid') === 'gap-scroller' ? size : 0;
    },
  });

window.postureConsole = {
  invoke: async (channel, req) => {
    calls.push({ channel, req });
    if (channel === 'coverage.summary') return { ok: true, value: summary };
    if (channel === 'coverage.query') {
      const items = [item(1), item(2), item(3), item(4, { reason: 'possible_match', why: 'Possible match only: same MAC.' })];
      return { ok: true, value: { items, total: items.length, platforms: ['Windows'] } };
    }
    if (channel === 'coverage.export') return { ok: true, value: { exportId: 'e1', file: '/tmp/coverage.csv' } };
    if (channel === 'devices.get') return { ok: false, error: { code: 'device.not_found', message: 'That device is not in the current inventory.' } };
    return { ok: false, error: { code: 'not_in_this_test', message: `${channel} is not answered here` } };
  },
  subscribe: () => () => {},
} satisfies Transport;

function show(ui: React.ReactNode, path = '/coverage') {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <MantineProvider>
      <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={[path]}>{ui}</MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

const queries = () => calls.filter((c) => c.channel === 'coverage.query').map((c) => (c.req as { filter: object }).filter);

beforeEach(() => {
  calls = [];
});

describe('the Coverage screen', () => {
  it('shows each pair with its count, "no data" for a source never polled, and lists a pair when its cell is chosen', async () => {
    show(<CoveragePage />);
    const matrix = await screen.findByRole('table', { name: 'Coverage matrix' });
    expect(within(matrix).getByRole('button', { name: '4 devices in Falcon, missing from SentinelOne' }).textContent).toBe('4');
    expect(within(matrix).getByRole('button', { name: '2 devices in SentinelOne, missing from Falcon' })).toBeTruthy();
    expect(within(matrix).getAllByText('no data')).toHaveLength(4);
    expect(queries()).toEqual([]);

    fireEvent.click(within(matrix).getByRole('button', { name: '4 devices in Falcon, missing from SentinelOne' }));
    expect(await screen.findByRole('heading', { level: 3, name: 'In Falcon, missing from SentinelOne' })).toBeTruthy();
    await waitFor(() => expect(screen.getAllByTestId('gap-row')).toHaveLength(4));
    expect(queries().at(-1)).toEqual({ presentIn: 'cs', missingFrom: 's1' });
    expect(screen.getAllByTestId('gap-row')[3]!.getAttribute('data-reason')).toBe('possible_match');
  });

  it('sends the filters with the pair, and Export CSV exports exactly that filter', async () => {
    show(<CoveragePage />, '/coverage?presentIn=cs&missingFrom=s1');
    await waitFor(() => expect(screen.getAllByTestId('gap-row')).toHaveLength(4));
    fireEvent.change(screen.getByRole('textbox', { name: 'Search' }), { target: { value: 'host-2' } });
    await waitFor(() => expect(queries().at(-1)).toEqual({ presentIn: 'cs', missingFrom: 's1', text: 'host-2' }));
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() =>
      expect(calls.find((c) => c.channel === 'coverage.export')?.req).toEqual({ filter: { presentIn: 'cs', missingFrom: 's1', text: 'host-2' } }),
    );
  });

  it('opens a device from the keyboard with the reason it is missing', async () => {
    show(<CoveragePage />, '/coverage?presentIn=cs&missingFrom=s1');
    await waitFor(() => expect(screen.getAllByTestId('gap-row')).toHaveLength(4));
    const list = screen.getByRole('region', { name: /Devices with a gap/ });
    fireEvent.keyDown(list, { key: 'End' });
    fireEvent.keyDown(list, { key: 'Enter' });
    const why = await screen.findByTestId('gap-why');
    expect(why.textContent).toContain('Why it is not in SentinelOne');
    expect(why.textContent).toContain('Possible match only: same MAC.');
  });
});

describe('the Dashboard coverage tile', () => {
  it('lists the biggest gaps first, each linking to its pair', async () => {
    show(<CoverageGapsTile />, '/dashboard');
    const links = await screen.findAllByTestId('coverage-gap');
    expect(links.map((l) => [l.getAttribute('aria-label'), l.getAttribute('href')])).toEqual([
      ['4 devices in Falcon, missing from SentinelOne', '/coverage?presentIn=cs&missingFrom=s1'],
      ['2 devices in SentinelOne, missing from Falcon', '/coverage?presentIn=s1&missingFrom=cs'],
    ]);
  });
});
