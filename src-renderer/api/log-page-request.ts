// One keyset page's request, without React or zod: the table's query builds it, and so does the table of first calls
// the build writes into the web host's boot script (src-renderer/app/first-calls.ts).
import type { LogFilter, LogSort } from '../../src-shared/schemas/posture-log';

/** Rows per request: a few screens of the table, small enough that the first paint is quick. */
const LOG_PAGE_SIZE = 200;

export function logPageRequest(filter: LogFilter, sort: LogSort, cursor?: string) {
  return { ...filter, sort, limit: LOG_PAGE_SIZE, cursor };
}
