// The provider form's Falcon cloud and base URL: a base URL typed for Custom never rides along hidden
// behind a named cloud, and what the form sends is what the shared schema accepts.
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProviderInput } from '../../../src-shared/schemas/providers';
import { ProviderForm } from './ProviderForm';

const saved: unknown[] = [];

vi.mock('../../api/client', () => ({
  call: async (channel: string, req: unknown) => {
    if (channel === 'preferences.get') return { retentionDays: 30, notifications: {}, defaultPollInterval: '1h', allowUnprotectedSecrets: false };
    if (channel === 'providers.save') {
      saved.push(req);
      return { config: { ...(req as object), id: 'p1' }, secret: { configured: true }, health: {} };
    }
    throw new Error(`unexpected call ${channel}`);
  },
  onEvent: () => () => {},
}));

afterEach(() => {
  cleanup();
  saved.length = 0;
});

function renderForm() {
  const done = vi.fn();
  render(
    <QueryClientProvider client={new QueryClient()}>
      <MantineProvider>
        <ProviderForm kind="crowdstrike-falcon-incidents" onDone={done} />
      </MantineProvider>
    </QueryClientProvider>,
  );
  return { done };
}

async function chooseCloud(label: string) {
  const select = screen.getByRole('combobox', { name: 'Falcon cloud' });
  // Mantine opens on click and keeps a just-closed dropdown mounted while it fades: wait for it to be open.
  await waitFor(() => {
    if (select.getAttribute('aria-expanded') !== 'true') fireEvent.click(select);
    expect(select.getAttribute('aria-expanded')).toBe('true');
  });
  fireEvent.click(await screen.findByRole('option', { name: label, hidden: true }));
  await waitFor(() => expect((select as HTMLInputElement).value).toBe(label));
}

const type = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label, { exact: false }), { target: { value } });

describe('ProviderForm: Falcon cloud and base URL', () => {
  it('switching from Custom to a named cloud drops the base URL typed for Custom, and saves just the cloud', async () => {
    const { done } = renderForm();
    type('Name', 'Detections');
    type('Client ID', 'a'.repeat(32));
    type('Client secret', 's3cret');
    await chooseCloud('Custom base URL');
    type('Base URL', 'http://127.0.0.1:4010');
    await chooseCloud('us-2 — api.us-2.crowdstrike.com');
    expect(screen.queryByLabelText('Base URL', { exact: false })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Add provider' }));
    await waitFor(() => expect(done).toHaveBeenCalled());
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ region: 'us-2' });
    expect((saved[0] as { baseUrl?: string }).baseUrl).toBeUndefined();
    expect(ProviderInput.safeParse(saved[0]).success).toBe(true);
  });

  it('Custom keeps its base URL and explains where requests go', async () => {
    const { done } = renderForm();
    expect(screen.getByText(/Every request \(Test, polls, detections, IOCs, containment\)/)).toBeTruthy();
    type('Name', 'Detections');
    type('Client ID', 'a'.repeat(32));
    type('Client secret', 's3cret');
    await chooseCloud('Custom base URL');
    type('Base URL', 'http://127.0.0.1:4010/');
    fireEvent.click(screen.getByRole('button', { name: 'Add provider' }));
    await waitFor(() => expect(done).toHaveBeenCalled());
    expect(saved[0]).toMatchObject({ region: 'custom', baseUrl: 'http://127.0.0.1:4010' });
  });
});
