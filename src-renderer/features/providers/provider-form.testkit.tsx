// The provider form in jsdom over a recording transport: what the main process is asked, and how it answers
// `providers.save`. Shared by the form tests of every source.
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen } from '@testing-library/react';
import { vi, type Mock } from 'vitest';
import type { Envelope } from '../../../src-shared/contract';
import type { ProviderKind } from '../../../src-shared/schemas/providers';
import type { Transport } from '../../api/bridge';
import { ProviderForm } from './ProviderForm';

export const bridge: { calls: { channel: string; req: unknown }[]; saveAnswer: Envelope<unknown> } = {
  calls: [],
  saveAnswer: { ok: true, value: { id: 'p1' } },
};

window.postureConsole = {
  invoke: async (channel, req) => {
    bridge.calls.push({ channel, req });
    if (channel === 'providers.save') return bridge.saveAnswer;
    return { ok: false, error: { code: 'not_in_this_test', message: `${channel} is not answered here` } };
  },
  subscribe: () => () => {},
} satisfies Transport;

export function renderForm(kind: ProviderKind, onDone: Mock = vi.fn()): Mock {
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

export const type = (label: RegExp, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
export const saves = () => bridge.calls.filter((c) => c.channel === 'providers.save');
