// OAuth2 scopes the simulator enforces, with the console labels admins see.

export const falconScopes = ['zero-trust-assessment:read', 'devices:read', 'devices:write', 'alerts:read', 'alerts:write', 'ioc:read', 'ioc:write'] as const;

export type FalconScope = (typeof falconScopes)[number];

export function isFalconScope(value: string): value is FalconScope {
  return (falconScopes as readonly string[]).includes(value);
}
