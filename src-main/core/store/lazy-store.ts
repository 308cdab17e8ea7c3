// A store that starts its worker at its first call: a console with nothing to read or write yet (an empty `serve`
// before a page opens, a CLI command that never touches the log) runs no worker and loads no SQLite. A failure to
// open (a file written by a newer version) is every call's answer, as a failed worker's is.
import { ContractError } from '../../../src-shared/errors';
import type { Store } from './store';

type Method = Exclude<keyof Store, 'close'>;

/** `start` opens the store now without waiting for it: for a host whose first screen is on its way. */
export type LazyStore = Store & { start(): void };

export function lazyStore(open: () => Promise<Store>): LazyStore {
  let opening: Promise<Store> | undefined;
  let closed = false;
  const started = () => {
    if (closed) return Promise.reject(new ContractError({ code: 'store.closed', message: 'The posture log is closed.' }));
    return (opening ??= open());
  };
  const later = <M extends Method>(method: M) =>
    ((...args: unknown[]) => started().then((store) => (store[method] as (...a: unknown[]) => unknown)(...args))) as Store[M];
  return {
    start() {
      if (!closed) started().catch(() => {});
    },
    ingest: later('ingest'),
    ingestPacked: later('ingestPacked'),
    queryLog: later('queryLog'),
    countLog: later('countLog'),
    resultAt: later('resultAt'),
    latestForDevices: later('latestForDevices'),
    stats: later('stats'),
    prune: later('prune'),
    incidents: later('incidents'),
    users: later('users'),
    audit: later('audit'),
    outbox: later('outbox'),
    exportOpen: later('exportOpen'),
    exportNext: later('exportNext'),
    exportClose: later('exportClose'),
    async close() {
      closed = true;
      // Never opened: nothing to close. Failed to open: nothing either, as with the worker's own failure.
      const store = await opening?.catch(() => undefined);
      await store?.close();
    },
  };
}
