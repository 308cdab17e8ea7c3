import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../../src-shared/contract';
import { REDACTED, type AuditEntry, type AuditVerifyResult } from '../../../src-shared/schemas/audit';
import type { Transport } from '../../api/bridge';
import { AuditPage } from './AuditPage';

const entry = (seq: number, over: Partial<AuditEntry> = {}): AuditEntry => ({
  seq,
  id: `id-${seq}`,
  at: new Date(Date.UTC(2026, 11, 6, 10, seq)).toISOString(),
  actor: { surface: 'web', osUser: 'admin', session: 'web-1a2b3c4d5e6f', command: null, claimed: null },
  action: 'provider.edited',
  channel: 'providers.save',
  target: { kind: 'provider', id: `p${seq}`, name: `Falcon ${seq}` },
  outcome: 'succeeded',
  error: null,
  summary: `Edited provider 'Falcon ${seq}' and replaced its secret`,
  changes: [
    { field: 'region', before: 'us-1', after: 'eu-1' },
    { field: 'clientSecret', before: REDACTED, after: REDACTED },
  ],
  ...over,
});

let queries: Record<string, unknown>[];
let verifyAnswer: AuditVerifyResult;
const trail = [
  entry(3),
  entry(2, {
    actor: { surface: 'cli', osUser: 'ops', session: null, command: 'checks add', claimed: null },
    action: 'check.created',
    summary: "Created check 'ZTA 70'",
  }),
  entry(1, { actor: { surface: 'desktop', osUser: 'admin', session: null, command: null, claimed: null } }),
];

window.postureConsole = {
  invoke: async (channel, req): Promise<Envelope<unknown>> => {
    if (channel === 'audit.query') {
      const q = req as { surface?: string };
      queries.push(q);
      const entries = trail.filter((e) => !q.surface || e.actor.surface === q.surface);
      return { ok: true, value: { entries, nextBefore: null, total: entries.length } };
    }
    if (channel === 'audit.verify') return { ok: true, value: verifyAnswer };
    return { ok: false, error: { code: 'not_in_this_test', message: `${channel} is not answered here` } };
  },
  subscribe: () => () => {},
} satisfies Transport;

function show() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <MantineProvider>
      <QueryClientProvider client={client}>
        <AuditPage />
      </QueryClientProvider>
    </MantineProvider>,
  );
}

// jsdom lays nothing out: give the list's scroller a screen's height so the virtualizer renders rows.
Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 720 });
Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1000 });

beforeEach(() => {
  queries = [];
  verifyAnswer = { ok: true, checked: 3, firstSeq: 1, lastSeq: 3, anchor: null, broken: null, keyProtected: true };
});

describe('the Audit screen', () => {
  it('lists entries newest first with the surface in words and the actor behind it', async () => {
    show();
    const rows = await screen.findAllByTestId('audit-row');
    expect(rows.map((r) => r.getAttribute('data-action'))).toEqual(['provider.edited', 'check.created', 'provider.edited']);
    expect(rows.map((r) => within(r).getByTestId('audit-surface').textContent)).toEqual(['web host', 'CLI', 'desktop']);
    expect(rows[0]!.textContent).toContain('admin · web-1a2b3c4d5e6f');
    expect(rows[1]!.textContent).toContain('ops · "checks add"');
    expect(screen.getByTestId('audit-count').textContent).toBe('3 entries');
  });

  it('opens an entry with each changed field before and after, a secret only as redacted', async () => {
    show();
    fireEvent.click((await screen.findAllByTestId('audit-row'))[0]!);
    const changes = await screen.findByTestId('audit-changes');
    const cells = within(changes)
      .getAllByRole('row')
      .slice(1)
      .map((r) =>
        within(r)
          .getAllByRole('cell')
          .map((c) => c.textContent),
      );
    expect(cells).toEqual([
      ['region', 'us-1', 'eu-1'],
      ['clientSecret', REDACTED, REDACTED],
    ]);
    expect(screen.getByTestId('audit-detail').textContent).toContain('access session web-1a2b3c4d5e6f');
  });

  it('asks the core for one surface when the filter names it', async () => {
    show();
    await screen.findAllByTestId('audit-row');
    fireEvent.change(screen.getByRole('combobox', { name: 'Surface' }), { target: { value: 'cli' } });
    await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(1));
    expect(queries.at(-1)).toMatchObject({ surface: 'cli' });
  });

  it('Verify names the first broken entry and why', async () => {
    verifyAnswer = {
      ok: false,
      checked: 1,
      firstSeq: 1,
      lastSeq: 3,
      anchor: null,
      broken: { seq: 2, at: '2026-12-06T10:02:00.000Z', kind: 'edited', message: 'Entry 2 does not match its MAC: it was edited.' },
      keyProtected: true,
    };
    show();
    fireEvent.click(await screen.findByRole('button', { name: 'Verify' }));
    const result = await screen.findByTestId('verify-result');
    expect(result.getAttribute('data-ok')).toBe('false');
    expect(result.textContent).toContain('Chain broken at entry 2 (2026-12-06T10:02:00.000Z): edited');
    expect(result.textContent).toContain('1 entry before it verified');
  });

  it('Verify says the chain is intact when it is', async () => {
    show();
    fireEvent.click(await screen.findByRole('button', { name: 'Verify' }));
    expect((await screen.findByTestId('verify-result')).textContent).toContain('Chain intact: 3 entries verified');
  });
});
