// Opaque page tokens and memoized query results, shared by every paged endpoint.
import { z } from 'zod';

/** Encodes a position (and whatever the next call must remember) as an opaque, URL-safe token. */
export function encodeToken(prefix: string, payload: Record<string, unknown>): string {
  return prefix + Buffer.from(JSON.stringify(payload)).toString('base64url');
}

/** Decodes a token made by encodeToken; undefined when it is not one of ours or fails the schema. */
export function decodeToken<T>(prefix: string, token: string, schema: z.ZodType<T>): T | undefined {
  if (!token.startsWith(prefix)) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(token.slice(prefix.length), 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export const PositionToken = z.object({ p: z.number().int().min(0) });

/**
 * Remembers the last result of an expensive query (filter + sort over the fleet) until the fleet
 * changes, so paging through 50k hosts does not re-filter on every page.
 */
export class QueryMemo<T> {
  private key: string | undefined;
  private version = -1;
  private value: T | undefined;

  get(key: string, version: number, compute: () => T): T {
    if (this.value !== undefined && this.key === key && this.version === version) return this.value;
    this.value = compute();
    this.key = key;
    this.version = version;
    return this.value;
  }
}
