import '@mantine/core/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { firstScreenReady, mountAfter, startFirstScreen } from './app/start-screen';
import { queryClient } from './api/query-client';

// Before the mount: the first screen's chunk and data are on their way; the mount waits (briefly) for both.
const first = startFirstScreen(queryClient, window.location.hash);

mountAfter(firstScreenReady(first), () =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
