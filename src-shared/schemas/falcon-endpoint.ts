// Where a Falcon connection sends its requests: one rule for the Test, posture polls, detections, IOCs,
// containment, the form, the CLI and stored settings. A named cloud uses its public API host; "custom"
// uses the base URL entered. A named cloud with a different base URL is refused on input (the admin
// must say which one is meant) and, when found in settings written before the rule, read as custom:
// the base URL wins, because it is the more specific of the two and the one the Test always used.
import { z } from 'zod';

export const FalconRegion = z.enum(['us-1', 'us-2', 'eu-1', 'us-gov-1', 'us-gov-2', 'us-3', 'custom']);
export type FalconRegion = z.infer<typeof FalconRegion>;
export type NamedFalconRegion = Exclude<FalconRegion, 'custom'>;

/** Public API hosts per cloud (reference §1). `custom` takes a base URL. */
export const falconRegionHosts: Record<NamedFalconRegion, string> = {
  'us-1': 'https://api.crowdstrike.com',
  'us-2': 'https://api.us-2.crowdstrike.com',
  'eu-1': 'https://api.eu-1.crowdstrike.com',
  'us-gov-1': 'https://api.laggar.gcw.crowdstrike.com',
  'us-gov-2': 'https://api.us-gov-2.crowdstrike.mil',
  'us-3': 'https://api.us-3.crowdstrike.com',
};

/** The endpoint fields of a Falcon connection, as entered or stored. */
export interface FalconEndpointFields {
  region: FalconRegion;
  baseUrl?: string | undefined;
}

/** The canonical form: a named cloud without a base URL, or custom with one. */
export type CanonicalFalconEndpoint = { region: NamedFalconRegion } | { region: 'custom'; baseUrl: string };

/** Where requests go. */
export interface FalconEndpoint {
  region: FalconRegion;
  /** Without a trailing slash. */
  baseUrl: string;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** The named cloud whose public API host this URL is (scheme, host, no path), if any. */
export function namedRegionOf(baseUrl: string): NamedFalconRegion | undefined {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return undefined;
  }
  if (url.pathname !== '/' && url.pathname !== '') return undefined;
  const hit = Object.entries(falconRegionHosts).find(([, host]) => host === url.origin);
  return hit?.[0] as NamedFalconRegion | undefined;
}

/** A named cloud with a base URL that is not its own host: the two disagree about where requests go. */
export function falconEndpointConflict(fields: FalconEndpointFields): { region: NamedFalconRegion; baseUrl: string } | undefined {
  if (fields.region === 'custom' || !fields.baseUrl) return undefined;
  if (namedRegionOf(fields.baseUrl) === fields.region) return undefined;
  return { region: fields.region, baseUrl: trimSlash(fields.baseUrl) };
}

/** The field-level message every input surface (form, CLI, web host, configuration import) shows. */
export function falconEndpointConflictMessage(conflict: { region: NamedFalconRegion; baseUrl: string }): string {
  const host = falconRegionHosts[conflict.region].replace('https://', '');
  return (
    `The ${conflict.region} cloud has its own API host (${host}) and takes no base URL. ` +
    `To send requests to ${conflict.baseUrl}, set the Falcon cloud (region) to custom; to use ${conflict.region}, remove the base URL.`
  );
}

/** Canonical form of stored fields: a base URL equal to its cloud's own host is dropped; a different one wins. */
export function canonicalFalconEndpoint(fields: FalconEndpointFields): CanonicalFalconEndpoint {
  if (fields.region === 'custom') {
    if (!fields.baseUrl) throw new Error('A custom Falcon cloud needs its base URL.');
    return { region: 'custom', baseUrl: trimSlash(fields.baseUrl) };
  }
  if (!fields.baseUrl || namedRegionOf(fields.baseUrl) === fields.region) return { region: fields.region };
  return { region: 'custom', baseUrl: trimSlash(fields.baseUrl) };
}

/** The one decision of where a connection's requests go, before any 308 moves it. */
export function falconEndpoint(fields: FalconEndpointFields): FalconEndpoint {
  const canonical = canonicalFalconEndpoint(fields);
  return canonical.region === 'custom' ? canonical : { region: canonical.region, baseUrl: falconRegionHosts[canonical.region] };
}

/**
 * After a 308 / X-Cs-Region move: the connection is saved pointing where its requests now go — a named
 * cloud when that is a cloud's public host, else custom with the new base URL (a proxy, the simulator).
 */
export function falconEndpointAfterMove(movedTo: { baseUrl: string }): CanonicalFalconEndpoint {
  const named = namedRegionOf(movedTo.baseUrl);
  return named ? { region: named } : { region: 'custom', baseUrl: trimSlash(movedTo.baseUrl) };
}

/** Replaces a config's endpoint fields with the canonical ones (no stray `baseUrl` key left behind). */
export function withFalconEndpoint<T extends FalconEndpointFields>(config: T, endpoint: CanonicalFalconEndpoint): T {
  const { baseUrl: _dropped, ...rest } = config;
  return { ...rest, ...endpoint } as T;
}
