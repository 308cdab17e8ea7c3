import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Envelope } from '../../../src-shared/contract';
import { SinkConfig, type SinkView } from '../../../src-shared/schemas/sinks';
import type { Transport } from '../../api/bridge';
import { SinkForm } from './SinkForm';

let calls: { channel: string; req: unknown }[];
let saveAnswer: Envelope<unknown>;

window.postureConsole = {
  invoke: async (channel, req) => {
    calls.push({ channel, req });
    if (channel === 'sinks.save') return saveAnswer;
    return { ok: false, error: { code: 'not_in_this_test', message: `${channel} is not answered here` } };
  },
  subscribe: () => () => {},
} satisfies Transport;

function renderForm(kind: 'syslog' | 'splunk-hec', existing?: SinkView, onDone = vi.fn()) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <MantineProvider>
      <QueryClientProvider client={client}>
        <SinkForm kind={kind} existing={existing} onDone={onDone} />
      </QueryClientProvider>
    </MantineProvider>,
  );
  return onDone;
}

const type = (label: RegExp, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
const saves = () => calls.filter((c) => c.channel === 'sinks.save').map((c) => c.req as Record<string, unknown>);

beforeEach(() => {
  calls = [];
  saveAnswer = { ok: true, value: {} };
});

describe('sink form', () => {
  it('saves a syslog sink as entered: host, port, TLS with a pasted CA, every event kind', async () => {
    const onDone = renderForm('syslog');
    type(/^Name/, 'SIEM');
    type(/^Host/, 'siem.example.com');
    type(/CA certificate/, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----');
    fireEvent.click(screen.getByRole('button', { name: 'Add sink' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(saves()).toEqual([
      expect.objectContaining({
        kind: 'syslog',
        name: 'SIEM',
        host: 'siem.example.com',
        port: 6514,
        transport: 'tls',
        caCertificate: expect.stringContaining('BEGIN CERTIFICATE'),
        events: ['posture.change', 'incident.created', 'incident.state', 'user.risk', 'audit'],
      }),
    ]);
  });

  it('refuses a host with a scheme as it is typed and sends nothing', async () => {
    renderForm('syslog');
    type(/^Name/, 'SIEM');
    type(/^Host/, 'tls://siem.example.com:6514');
    fireEvent.click(screen.getByRole('button', { name: 'Add sink' }));
    expect(await screen.findByText(/Enter only the host name or IP address/)).toBeTruthy();
    expect(saves()).toEqual([]);
  });

  it('editing a HEC sink with the token left blank keeps the stored one (no token sent)', async () => {
    const config = SinkConfig.parse({ kind: 'splunk-hec', id: 'h1', name: 'Splunk', url: 'https://splunk.example.com:8088' });
    const existing = { config, token: { configured: true, changedAt: '2026-12-01T00:00:00.000Z', storedWith: 'keyfile', persisted: true } } as SinkView;
    const onDone = renderForm('splunk-hec', existing);
    expect(screen.getByLabelText(/HEC token/).getAttribute('placeholder')).toMatch(/leave blank to keep/);
    type(/^Name/, 'Splunk prod');
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(saves()).toHaveLength(1);
    expect(saves()[0]).toMatchObject({ id: 'h1', name: 'Splunk prod' });
    expect(saves()[0]!.token).toBeUndefined();
  });

  it('shows the server’s field issue (a name already taken) on its field', async () => {
    saveAnswer = { ok: false, error: { code: 'invalid_input', message: 'taken', issues: [{ path: 'name', message: "A sink named 'SIEM' already exists." }] } };
    renderForm('syslog');
    type(/^Name/, 'SIEM');
    type(/^Host/, '10.0.0.5');
    fireEvent.click(screen.getByRole('button', { name: 'Add sink' }));
    expect(await screen.findByText("A sink named 'SIEM' already exists.")).toBeTruthy();
  });
});
