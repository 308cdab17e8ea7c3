// Long requests the admin may stop (a dry run against Falcon, a back-test over months of alerts). The
// caller names each run with an id it made up, and a cancel channel aborts the run by that id.
import { ContractError } from '../../src-shared/errors';

export function createCancellableRuns() {
  const running = new Map<string, AbortController>();
  return {
    /** Runs `work` with a signal that `cancel(runId)` aborts; a cancelled run rejects with code `cancelled`. */
    async run<T>(runId: string | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
      const controller = new AbortController();
      if (runId !== undefined) {
        if (running.has(runId))
          throw new ContractError({ code: 'invalid_input', message: 'A run with this id is already going.', fix: 'Use a new run id for each run.' });
        running.set(runId, controller);
      }
      try {
        return await work(controller.signal);
      } catch (error) {
        if (controller.signal.aborted) throw new ContractError({ code: 'cancelled', message: 'Stopped before it finished. Nothing was changed.' });
        throw error;
      } finally {
        if (runId !== undefined) running.delete(runId);
      }
    },
    cancel(runId: string): boolean {
      const controller = running.get(runId);
      controller?.abort();
      return controller !== undefined;
    },
    cancelAll(): void {
      for (const controller of running.values()) controller.abort();
    },
  };
}

export type CancellableRuns = ReturnType<typeof createCancellableRuns>;
