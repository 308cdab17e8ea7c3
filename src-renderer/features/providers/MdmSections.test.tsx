import { fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { bridge, renderForm, saves, type } from './provider-form.testkit';

// The Jamf Pro, Kandji and custom-endpoint sections: vendor setup steps, validation as typed, secrets write-only.

beforeEach(() => {
  bridge.calls = [];
  bridge.saveAnswer = { ok: true, value: { id: 'p1' } };
});

describe('Jamf Pro form', () => {
  it('shows where each value is in Jamf Pro, refuses a URL with /api as typed, and saves the secret write-only', async () => {
    const onDone = renderForm('jamf');
    expect(screen.getByText(/API roles and clients > API Roles/)).toBeTruthy();
    expect(screen.getByText(/Generate client secret/)).toBeTruthy();
    type(/Jamf Pro URL/, 'https://acme.jamfcloud.com/api');
    expect(await screen.findByText(/without \/api/)).toBeTruthy();
    type(/Jamf Pro URL/, 'https://acme.jamfcloud.com');
    await waitFor(() => expect(screen.queryByText(/console address without \/api/)).toBeNull());
    type(/^Name/, 'Jamf');
    type(/Client ID/, '0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b');
    type(/Client secret/, 'jamf-secret');
    expect((screen.getByLabelText(/Client secret/) as HTMLInputElement).type).toBe('password');
    fireEvent.click(screen.getByRole('button', { name: 'Add provider' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(saves()[0]?.req).toMatchObject({ kind: 'jamf', serverUrl: 'https://acme.jamfcloud.com', clientSecret: 'jamf-secret' });
  });
});

describe('Kandji form', () => {
  it('names the API URL when the web-app address is typed', async () => {
    renderForm('kandji');
    expect(screen.getByText(/Manage API Permissions/)).toBeTruthy();
    type(/API URL/, 'https://acme.clients.us-1.kandji.io');
    expect(await screen.findByText(/That is the Kandji web app address/)).toBeTruthy();
    type(/API URL/, 'https://acme.api.eu.kandji.io');
    await waitFor(() => expect(screen.queryByText(/That is the Kandji web app address/)).toBeNull());
  });
});

describe('custom endpoint form', () => {
  it('asks for https, and refuses an out-of-range batch size before saving', async () => {
    renderForm('custom');
    expect(screen.getByText(/Service Auth policy/)).toBeTruthy();
    type(/Endpoint URL/, 'http://posture.example.com/p');
    expect(await screen.findByText(/Use an https:\/\/ URL/)).toBeTruthy();
    type(/^Name/, 'Custom');
    type(/Endpoint URL/, 'https://posture.example.com/p');
    type(/Bearer token/, 'tok');
    fireEvent.change(screen.getByLabelText(/Devices per request/), { target: { value: '5000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add provider' }));
    expect(await screen.findByText(/Batch size must be a whole number from 1 to 1000/)).toBeTruthy();
    expect(saves()).toEqual([]);
  });
});
