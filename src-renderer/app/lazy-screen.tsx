// A screen whose code is its own chunk: fetched when it first renders (or earlier, by preload), never at start.
import { Alert, Button, Group, Loader, Text } from '@mantine/core';
import { Component, use, type ComponentType, type ReactNode } from 'react';

export interface LazyScreen<P extends object> {
  Screen: ComponentType<P>;
  /** Fetches and evaluates the chunk; the same promise every time, so calling it again costs nothing. */
  preload: () => Promise<unknown>;
  /** Forgets a failed load, so the next render or preload fetches the chunk again. */
  retry: () => void;
}

/**
 * Like React.lazy, but once the chunk is in (preloaded while idle, say) the screen renders in the same pass
 * instead of suspending for a tick, and a chunk that failed to load can be fetched again (`retry`).
 */
export function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>): LazyScreen<P> {
  let loaded: ComponentType<P> | undefined;
  let loading: Promise<ComponentType<P>> | undefined;
  let failed = false;
  const preload = () =>
    (loading ??= load().then(
      (component) => (loaded = component),
      (error: unknown) => {
        // Kept until `retry`: forgetting it here would have every re-render fetch the missing chunk again.
        failed = true;
        throw error;
      },
    ));
  const retry = () => {
    if (!failed) return;
    failed = false;
    loading = undefined;
  };
  function Screen(props: P) {
    const Loaded = loaded ?? use(preload());
    // Not created during render: `Loaded` is the chunk's own component, the same function on every render.
    // eslint-disable-next-line react-hooks/static-components
    return <Loaded {...props} />;
  }
  return { Screen, preload, retry };
}

/** What shows while a screen's chunk loads: a status that assistive technology announces. */
export function ScreenLoading() {
  return (
    <Group gap="xs" role="status" aria-live="polite" data-testid="screen-loading">
      <Loader size="sm" aria-hidden />
      <Text size="sm" c="dimmed">
        Loading…
      </Text>
    </Group>
  );
}

interface BoundaryProps {
  resetKey: string;
  /** Called by "Try again" before the screen renders afresh (forget failed chunk loads there). */
  onRetry: () => void;
  children: ReactNode;
}
interface BoundaryState {
  error: unknown;
  key: string;
}

/**
 * A screen that failed (its chunk did not load, or it threw while rendering) says what happened and how to go
 * on instead of taking the whole window down. Opening another section (`resetKey`) leaves it; "Try again" retries.
 */
export class ScreenErrorBoundary extends Component<BoundaryProps, BoundaryState> {
  override state: BoundaryState = { error: undefined, key: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<BoundaryState> {
    return { error: error ?? new Error('The screen stopped with an error.') };
  }

  static getDerivedStateFromProps(props: BoundaryProps, state: BoundaryState): Partial<BoundaryState> | null {
    return props.resetKey === state.key ? null : { error: undefined, key: props.resetKey };
  }

  override render() {
    if (this.state.error === undefined) return this.props.children;
    const message = this.state.error instanceof Error ? this.state.error.message : 'The screen stopped with an error.';
    return (
      <Alert color="red" title="This screen could not be shown" role="alert">
        <Text size="sm">{message}</Text>
        <Text size="sm" mt="xs">
          Try again; if it keeps failing, reload the window (Ctrl+R).
        </Text>
        <Button
          size="xs"
          mt="sm"
          variant="light"
          onClick={() => {
            this.props.onRetry();
            this.setState({ error: undefined });
          }}
        >
          Try again
        </Button>
      </Alert>
    );
  }
}
