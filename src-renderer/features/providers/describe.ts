// How a provider is summarised in lists: where it points, how healthy it is, and when things happened.
import { providerHealthWords } from '../../../src-shared/provider-status';
import { falconEndpoint } from '../../../src-shared/schemas/falcon-endpoint';
import type { ProviderConfig, ProviderHealthState } from '../../../src-shared/schemas/providers';
import { sourceEndpoint } from './sections/endpoints';

/** Where requests go, by the same rule the core uses (falconEndpoint). */
export function endpointOf(config: ProviderConfig): string {
  if (config.kind !== 'crowdstrike-zta' && config.kind !== 'crowdstrike-falcon-incidents') return sourceEndpoint(config);
  if (config.region === 'custom' && !config.baseUrl) return '';
  const { region, baseUrl } = falconEndpoint(config);
  return region === 'custom' ? `custom · ${baseUrl}` : `${region} · ${baseUrl}`;
}

/** The one health vocabulary (words from the shared module) with its colours. */
export const healthLook: Record<ProviderHealthState, { label: string; color: string }> = {
  healthy: { label: providerHealthWords.healthy, color: 'teal' },
  failing: { label: providerHealthWords.failing, color: 'red' },
  not_contacted: { label: providerHealthWords.not_contacted, color: 'gray' },
  no_checks: { label: providerHealthWords.no_checks, color: 'yellow' },
};

export function ago(iso: string | null, now = Date.now()): string {
  if (!iso) return 'never';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} d ago`;
}
