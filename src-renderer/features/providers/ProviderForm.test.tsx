import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Envelope } from '../../../src-shared/contract';
import type { Transport } from '../../api/bridge';
import { ProviderForm } from './ProviderForm';

/** What the main process is asked, and how it answers `providers.save`. */
let calls: { channel: string; req: unknown }[];
let saveAnswer: Envelope<unknown>;

window.postureConsole = {
  invoke: async (channel, req) => {
    calls.push({ channel, req });
    if (channel === 'providers.save') return saveAnswer;
    return { ok: false, error: { code: 'not_in_this_test', message: `${channel} is not answered here` } };
  },
  subscribe: () => () => {},
} satisfies Transport;

function renderForm(kind: 'sentinelone' | 'crowdstrike-zta', onDone = vi.fn()) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <MantineProvider>
      <QueryClientProvider client={client}>
        <ProviderForm kind={kind} onDone={onDone} />
      </QueryClientProvider>
    </MantineProvider>,
  );
  return onDone;
}

const type = (label: RegExp, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
const saves = () => calls.filter((c) => c.channel === 'providers.save');

beforeEach(() => {
  calls = [];
  saveAnswer = { ok: true, value: { id: 'p1' } };
});

describe('provider form', () => {
  it('says what is wrong with a plain-http API URL as it is typed, and clears it once the URL is https', async () => {
    renderForm('sentinelone');
    type(/REST API URL/, 'http://acme.sentinelone.net');
    expect(await screen.findByText('Use an https:// URL (plain http is allowed only to 127.0.0.1 or localhost).')).toBeTruthy();
    type(/REST API URL/, 'https://acme.sentinelone.net');
    await waitFor(() => expect(screen.queryByText(/Use an https:\/\/ URL/)).toBeNull());
  });

  it('an incomplete Falcon form shows its field errors and sends nothing', async () => {
    renderForm('crowdstrike-zta');
    type(/Customer ID/, 'not-a-cid');
    fireEvent.click(screen.getByRole('button', { name: 'Add provider' }));
    await waitFor(() => expect(screen.getByLabelText(/Customer ID/).getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByLabelText(/^Name/).getAttribute('aria-invalid')).toBe('true');
    expect(saves()).toEqual([]);
  });

  it('a valid form saves exactly what was entered and closes', async () => {
    const onDone = renderForm('sentinelone');
    type(/^Name/, 'S1');
    type(/REST API URL/, 'https://acme.sentinelone.net');
    type(/API token/, 'tok-123');
    fireEvent.click(screen.getByRole('button', { name: 'Add provider' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(saves()).toEqual([
      {
        channel: 'providers.save',
        req: expect.objectContaining({ kind: 'sentinelone', name: 'S1', apiUrl: 'https://acme.sentinelone.net', apiToken: 'tok-123' }),
      },
    ]);
  });

  it("the main process's field issues (a name already taken) show next to the field, and the form stays open", async () => {
    saveAnswer = {
      ok: false,
      error: { code: 'invalid_input', message: 'Check the fields.', issues: [{ path: 'name', message: 'A provider named "S1" already exists.' }] },
    };
    const onDone = renderForm('sentinelone');
    type(/^Name/, 'S1');
    type(/REST API URL/, 'https://acme.sentinelone.net');
    type(/API token/, 'tok-123');
    fireEvent.click(screen.getByRole('button', { name: 'Add provider' }));
    expect(await screen.findByText('A provider named "S1" already exists.')).toBeTruthy();
    expect(onDone).not.toHaveBeenCalled();
  });
});
