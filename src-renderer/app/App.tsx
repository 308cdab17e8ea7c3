// Providers for the whole renderer: query cache, theme (following the saved preference), router.
import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { HashRouter } from 'react-router';
import { useUiSettings } from '../api/app';
import { useContractEvents } from '../api/events';
import { queryClient } from '../api/query-client';
import { Routes } from './Routes';
import { Shell } from './Shell';
import { cssVariablesResolver, theme } from './theme';

function Themed({ children }: { children: ReactNode }) {
  const settings = useUiSettings();
  useContractEvents();
  const scheme = settings.data?.theme ?? 'system';
  return (
    <MantineProvider
      theme={theme}
      cssVariablesResolver={cssVariablesResolver}
      defaultColorScheme="auto"
      forceColorScheme={scheme === 'system' ? undefined : scheme}
    >
      {children}
    </MantineProvider>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Themed>
        <HashRouter>
          <Shell>
            <Routes />
          </Shell>
        </HashRouter>
      </Themed>
    </QueryClientProvider>
  );
}
