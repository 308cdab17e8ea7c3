// The shell's rail and top bar: every section a link, the current one marked for sight and for assistive technology;
// the chips' explanations on hover once the first screen has painted, and not in the first frame's work.
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { AppInfo } from '../../src-shared/schemas/app';
import { appInfoQuery } from '../api/app';
import { providersQuery } from '../api/providers';
import { sections } from './sections';
import { Shell } from './Shell';

const info: AppInfo = {
  appVersion: '0.1.0',
  host: 'web',
  versions: { node: '24.0.0', electron: null, chromium: null },
  dataDir: '/tmp/posture-console',
  user: 'admin',
  secretStorage: { backend: 'test', protected: true, persisted: true, explanation: 'Held in the test keychain.' },
  demo: false,
};

function renderShell(path: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(appInfoQuery.queryKey, info);
  client.setQueryData(providersQuery.queryKey, []);
  return render(
    <QueryClientProvider client={client}>
      <MantineProvider>
        <MemoryRouter initialEntries={[path]}>
          <Shell>
            <h2>Screen</h2>
          </Shell>
        </MemoryRouter>
      </MantineProvider>
    </QueryClientProvider>,
  );
}

/** A frame and the timer queued from it: what `useAfterFirstPaint` waits for. */
const afterFirstPaint = () => act(() => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));

describe('shell', () => {
  it('links every section from the rail and marks only the current one', () => {
    renderShell('/posture-log');
    const rail = within(screen.getByRole('navigation', { name: 'Sections' }));
    const links = rail.getAllByRole('link');
    expect(links.map((a) => a.textContent)).toEqual(sections.map((s) => s.label));
    expect(links.map((a) => a.getAttribute('href'))).toEqual(sections.map((s) => s.path));
    const current = rail.getByRole('link', { name: 'Posture Log' });
    expect(current.getAttribute('aria-current')).toBe('page');
    expect(current.hasAttribute('data-active')).toBe(true);
    for (const other of links.filter((a) => a !== current)) {
      expect(other.hasAttribute('aria-current')).toBe(false);
      expect(other.hasAttribute('data-active')).toBe(false);
    }
  });

  it('explains the chips on hover once the first screen has painted', async () => {
    renderShell('/dashboard');
    const keyring = screen.getByRole('link', { name: 'Secrets protected' });
    expect(keyring.getAttribute('href')).toBe('/status');
    expect(screen.getByRole('link', { name: 'No providers' }).getAttribute('href')).toBe('/providers');
    await afterFirstPaint();
    fireEvent.mouseEnter(screen.getByRole('link', { name: 'Secrets protected' }));
    expect(await screen.findByText('Held in the test keychain.')).toBeTruthy();
    fireEvent.mouseEnter(screen.getByRole('link', { name: 'No providers' }));
    expect(await screen.findByText('Open Providers')).toBeTruthy();
  });
});
