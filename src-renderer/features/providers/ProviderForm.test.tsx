import { fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { bridge, renderForm, saves, type } from './provider-form.testkit';

beforeEach(() => {
  bridge.calls = [];
  bridge.saveAnswer = { ok: true, value: { id: 'p1' } };
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
    bridge.saveAnswer = {
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
