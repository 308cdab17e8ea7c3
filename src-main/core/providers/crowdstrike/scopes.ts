// The Falcon API client scopes this app uses, with the labels the Falcon console shows.
export const falconScopes = {
  ztaRead: { scope: 'zero-trust-assessment:read', label: 'Zero Trust Assessment: Read' },
  hostsRead: { scope: 'devices:read', label: 'Hosts: Read' },
  hostsWrite: { scope: 'devices:write', label: 'Hosts: Write' },
  alertsRead: { scope: 'alerts:read', label: 'Alerts: Read' },
  iocRead: { scope: 'ioc:read', label: 'IOC Management: Read' },
  iocWrite: { scope: 'ioc:write', label: 'IOC Management: Write' },
} as const;
export type FalconScope = keyof typeof falconScopes;

export function addScopeFix(scope: FalconScope): string {
  return `Add ${falconScopes[scope].label} scope to the Falcon API client (Falcon > Support and resources > API clients and keys > Edit), then test again. The Client Secret does not change.`;
}
