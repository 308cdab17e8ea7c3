// The Falcon clouds the simulator can play, and their console hosts (for falcon_host_link).

export const falconRegions = ['us-1', 'us-2', 'eu-1', 'us-gov-1', 'us-gov-2', 'us-3'] as const;
export type FalconRegion = (typeof falconRegions)[number];

export function isFalconRegion(value: string): value is FalconRegion {
  return (falconRegions as readonly string[]).includes(value);
}

export const consoleHosts: Record<FalconRegion, string> = {
  'us-1': 'falcon.crowdstrike.com',
  'us-2': 'falcon.us-2.crowdstrike.com',
  'eu-1': 'falcon.eu-1.crowdstrike.com',
  'us-gov-1': 'falcon.laggar.gcw.crowdstrike.com',
  'us-gov-2': 'falcon.us-gov-2.crowdstrike.mil',
  'us-3': 'falcon.us-3.crowdstrike.com',
};
