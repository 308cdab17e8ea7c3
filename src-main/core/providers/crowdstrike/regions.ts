// Where a 308 says the credentials really live (the starting endpoint is falconEndpoint()'s to decide).
import { namedRegionOf } from '../../../../src-shared/schemas/falcon-endpoint';
import { FalconRegion } from '../../../../src-shared/schemas/providers';
import type { HttpResponse } from '../http';

export type KnownRegion = Exclude<FalconRegion, 'custom'>;

export interface DiscoveredRegion {
  /** The cloud named by `X-Cs-Region`, or 'custom' when the header is missing or unknown. */
  region: FalconRegion;
  /** As reported, e.g. "us-2" (kept even when it is not one we know). */
  reported: string | undefined;
  baseUrl: string;
  previousBaseUrl: string;
}

export function regionOfBase(baseUrl: string): FalconRegion {
  return namedRegionOf(baseUrl) ?? 'custom';
}

export function parseRegion(header: string | undefined): FalconRegion {
  const parsed = FalconRegion.safeParse(header?.trim().toLowerCase());
  return parsed.success ? parsed.data : 'custom';
}

/** On a 308: the new base is `Location` minus the path we asked for (keeping any base path prefix). */
export function discoverFromRedirect(res: HttpResponse, requestPath: string, previousBaseUrl: string): DiscoveredRegion | undefined {
  const location = res.headers['location'];
  if (!location) return undefined;
  const target = new URL(location, res.url);
  let path = target.pathname;
  if (path.endsWith(requestPath)) path = path.slice(0, path.length - requestPath.length);
  const baseUrl = `${target.origin}${path}`.replace(/\/+$/, '');
  const reported = res.headers['x-cs-region'];
  return { region: parseRegion(reported), reported, baseUrl, previousBaseUrl };
}
