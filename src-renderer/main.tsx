import '@mantine/core/styles.css';
import { StrictMode } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { firstScreenReady, mountAfter, startFirstScreen } from './app/start-screen';
import { queryClient } from './api/query-client';

// Before the mount: the first screen's chunk and data are on their way; the mount waits (briefly) for both.
const first = startFirstScreen(queryClient, window.location.hash);

mountAfter(firstScreenReady(first), () => {
  const root = createRoot(document.getElementById('root')!);
  // Rendered in this task, with the chunk and rows just in: a scheduled render would wait behind a style and layout
  // pass of the empty page (and any other task queued meanwhile) before it began.
  flushSync(() =>
    root.render(
      <StrictMode>
        <App />
      </StrictMode>,
    ),
  );
});
