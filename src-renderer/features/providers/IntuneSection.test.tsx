import { fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { bridge, renderForm, saves, type } from './provider-form.testkit';

// The Intune section: Entra setup steps, GUIDs checked as typed, the secret Value write-only.

beforeEach(() => {
  bridge.calls = [];
  bridge.saveAnswer = { ok: true, value: { id: 'p1' } };
});

describe('Intune provider form', () => {
  it('shows the Entra setup steps, including admin consent for the read permission', () => {
    renderForm('intune');
    expect(screen.getByText(/Grant admin consent/)).toBeTruthy();
    expect(screen.getByText(/its Value at once/)).toBeTruthy();
  });

  it('says a tenant or client ID that is not a GUID is wrong as it is typed', async () => {
    renderForm('intune');
    type(/Application \(client\) ID/, 'not-a-guid');
    expect(await screen.findByText(/Client ID is a GUID/)).toBeTruthy();
    type(/Directory \(tenant\) ID/, 'common');
    expect(await screen.findByText(/App-only sign-in needs your own tenant/)).toBeTruthy();
    type(/Application \(client\) ID/, '0B1C2D3E-4F50-4A6B-8C7D-9E0F1A2B3C4D');
    await waitFor(() => expect(screen.queryByText(/Client ID is a GUID/)).toBeNull());
  });

  it('a valid form saves the fields (ids normalised, the secret only in the request) and closes', async () => {
    const onDone = renderForm('intune');
    type(/^Name/, 'Intune');
    type(/Directory \(tenant\) ID/, '72F988BF-86F1-41AF-91AB-2D7CD011DB47');
    type(/Application \(client\) ID/, '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d');
    type(/Client secret/, 'sec~value');
    expect((screen.getByLabelText(/Client secret/) as HTMLInputElement).type).toBe('password');
    fireEvent.click(screen.getByRole('button', { name: 'Add provider' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(saves()).toEqual([
      {
        channel: 'providers.save',
        req: expect.objectContaining({
          kind: 'intune',
          name: 'Intune',
          tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
          clientId: '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d',
          cloud: 'global',
          clientSecret: 'sec~value',
        }),
      },
    ]);
  });
});
