// Which Falcon cloud to talk to, and where a 308 says the credentials really live.
import { FalconRegion, falconRegionHosts } from '../../../../src-shared/schemas/providers';
import type { HttpResponse } from '../http';

export type KnownRegion = Exclude<FalconRegion, 'custom'>;

export interface RegionChoice {
  region?: FalconRegion;
  baseUrl?: string;
}

export interface DiscoveredRegion {
  /** The cloud named by `X-Cs-Region`, or 'custom' when the header is missing or unknown. */
  region: FalconRegion;
  /** As reported, e.g. "us-2" (kept even when it is not one we know). */
  reported: string | undefined;
  baseUrl: string;
  previousBaseUrl: string;
}

export function resolveFalconBase(choice: RegionChoice): string {
  if (choice.baseUrl) return choice.baseUrl.replace(/\/+$/, '');
  if (choice.region && choice.region !== 'custom') return falconRegionHosts[choice.region];
  throw new Error('A Falcon connection needs a region or a base URL.');
}

export function regionOfBase(baseUrl: string): FalconRegion {
  const origin = new URL(baseUrl).origin;
  const hit = Object.entries(falconRegionHosts).find(([, host]) => host === origin);
  return hit ? (hit[0] as KnownRegion) : 'custom';
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
