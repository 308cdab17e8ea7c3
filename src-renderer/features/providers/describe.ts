// How a provider is summarised in lists: where it points and how healthy it is.
import { falconEndpoint } from '../../../src-shared/schemas/falcon-endpoint';
import type { ProviderConfig, ProviderView } from '../../../src-shared/schemas/providers';

/** Where requests go, by the same rule the core uses (falconEndpoint). */
export function endpointOf(config: ProviderConfig): string {
  if (config.kind === 'sentinelone') return config.apiUrl;
  if (config.region === 'custom' && !config.baseUrl) return '';
  const { region, baseUrl } = falconEndpoint(config);
  return region === 'custom' ? `custom · ${baseUrl}` : `${region} · ${baseUrl}`;
}

export type HealthState = 'healthy' | 'failing' | 'untested';

export function healthOf(view: ProviderView): HealthState {
  if (view.health.lastTestOk === null) return 'untested';
  return view.health.lastTestOk ? 'healthy' : 'failing';
}

export const healthLabel: Record<HealthState, { label: string; color: string }> = {
  healthy: { label: 'Healthy', color: 'teal' },
  failing: { label: 'Failing', color: 'red' },
  untested: { label: 'Not tested', color: 'gray' },
};

export function ago(iso: string | null, now = Date.now()): string {
  if (!iso) return 'never';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} d ago`;
}
