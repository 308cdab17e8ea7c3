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

function renderForm(kind: 'syslog' | 'splunk-hec' | 'otlp-http', existing?: SinkView, onDone = vi.fn()) {
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

  it('a new HEC sink needs its token, and acknowledgement needs a channel GUID, said as you type', async () => {
    renderForm('splunk-hec');
    type(/^Name/, 'Splunk');
    type(/Collector URL/, 'https://splunk.example.com:8088');
    fireEvent.click(screen.getByRole('switch', { name: /indexer acknowledgement/ }));
    type(/Channel/, 'not-a-guid');
    expect(await screen.findByText(/The channel is a GUID/)).toBeTruthy();
    type(/Channel/, '0aeeac95-ac74-4aa9-b30d-6c4c0ac581ba');
    await waitFor(() => expect(screen.queryByText(/The channel is a GUID/)).toBeNull());
    fireEvent.click(screen.getByRole('button', { name: 'Add sink' }));
    expect(await screen.findByText(/Enter the HEC token/)).toBeTruthy();
    expect(saves()).toEqual([]);
  });

  it('saves a HEC sink with acknowledgement on a generated channel, its metadata and the token', async () => {
    const onDone = renderForm('splunk-hec');
    type(/^Name/, 'Splunk');
    type(/Collector URL/, 'https://splunk.example.com:8088');
    type(/HEC token/, 'b1c2d3e4-0000-4000-8000-123456789abc');
    type(/^Index/, 'security');
    type(/^Source \(/, 'console-1');
    fireEvent.click(screen.getByRole('switch', { name: /indexer acknowledgement/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Generate' }));
    await waitFor(() => expect((screen.getByLabelText(/Channel/) as HTMLInputElement).value).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/));
    fireEvent.click(screen.getByRole('button', { name: 'Add sink' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(saves()[0]).toMatchObject({
      kind: 'splunk-hec',
      url: 'https://splunk.example.com:8088',
      token: 'b1c2d3e4-0000-4000-8000-123456789abc',
      index: 'security',
      source: 'console-1',
      useAck: true,
      channel: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it('an OTLP sink over plain http to a remote host is refused as you type', async () => {
    renderForm('otlp-http');
    type(/^Name/, 'Collector');
    type(/Logs endpoint/, 'http://collector.example.com:4318/v1/logs');
    expect(await screen.findByText(/Use an https:\/\/ URL/)).toBeTruthy();
  });

  it('saves an OTLP sink with extra headers, and refuses a header that looks like a credential', async () => {
    const onDone = renderForm('otlp-http');
    type(/^Name/, 'Collector');
    type(/Logs endpoint/, 'https://collector.example.com:4318/v1/logs');
    type(/Extra headers/, 'X-Api-Key: abc');
    expect(await screen.findByText(/looks like a credential/)).toBeTruthy();
    type(/Extra headers/, 'X-Scope-OrgID: soc\nX-Team:  blue ');
    fireEvent.click(screen.getByRole('button', { name: 'Add sink' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(saves()[0]).toMatchObject({
      kind: 'otlp-http',
      url: 'https://collector.example.com:4318/v1/logs',
      serviceName: 'posture-console',
      headers: { 'X-Scope-OrgID': 'soc', 'X-Team': 'blue' },
    });
    expect(saves()[0]!.token).toBeUndefined();
  });
});
