// Provider connections as data: configuration in settings, secrets in the vault, health from tests
// and polls. Validation beyond the schema (unique names, secrets on create, fixed kind) lives here.
import { randomUUID } from 'node:crypto';
import { ContractError } from '../../../src-shared/errors';
import {
  secretFieldOf,
  type ProviderConfig,
  type ProviderHealth,
  type ProviderInput,
  type ProviderView,
  type TestReport,
  type TestStep,
} from '../../../src-shared/schemas/providers';
import { providerStatusOf } from '../../../src-shared/provider-status';
import { falconEndpointAfterMove, withFalconEndpoint } from '../../../src-shared/schemas/falcon-endpoint';
import type { SettingsStore } from '../settings/store';
import type { Vault } from '../vault/vault';

export const emptyHealth: ProviderHealth = { lastTestAt: null, lastTestOk: null, lastSuccessAt: null, lastError: null };

export type ProviderTester = (
  config: ProviderConfig,
  deps: {
    runId: string;
    getSecret: () => Promise<string>;
    onStep: (step: TestStep) => void;
    onRegionDiscovered: (found: RegionMove) => void;
  },
) => Promise<TestReport>;

export interface ConnectionsDeps {
  settings: SettingsStore;
  vault: Vault;
  clock: () => Date;
  tester: ProviderTester;
  onChanged: () => void;
  onTestStep: (progress: { providerId: string; runId: string; step: TestStep }) => void;
}

/** Where a 308 said the credentials live. */
export interface RegionMove {
  region: string;
  baseUrl: string;
}

const secretRef = (id: string) => `provider:${id}`;

function fieldError(path: string, message: string, fix?: string): ContractError {
  return new ContractError({ code: 'invalid_input', message, fix, issues: [{ path, message }] });
}

export function secretOf(input: ProviderInput): string | undefined {
  return (input as Partial<Record<'clientSecret' | 'apiToken' | 'secret', string>>)[secretFieldOf[input.kind].field];
}

/** Strips the write-only secret, leaving what is stored in settings. */
function configOf(input: ProviderInput, id: string): ProviderConfig {
  const { clientSecret: _c, apiToken: _a, ...rest } = input as ProviderInput & { clientSecret?: string; apiToken?: string };
  return { ...rest, id } as ProviderConfig;
}

export class Connections {
  readonly #deps: ConnectionsDeps;
  /** One Test per provider at a time; a second click joins the running one. */
  readonly #running = new Map<string, Promise<TestReport>>();

  constructor(deps: ConnectionsDeps) {
    this.#deps = deps;
  }

  list(): ProviderView[] {
    const settings = this.#deps.settings.read();
    return settings.providers.map((config) => this.#view(config, settings.providerHealth[config.id], settings.postureChecks));
  }

  get(id: string): ProviderConfig {
    const config = this.#deps.settings.read().providers.find((p) => p.id === id);
    if (!config) throw new ContractError({ code: 'provider.not_found', message: 'That provider no longer exists.', fix: 'Reload the Providers page.' });
    return config;
  }

  getSecret(id: string): Promise<string> {
    return this.#deps.vault.reveal(secretRef(id));
  }

  async save(input: ProviderInput): Promise<ProviderView> {
    const settings = this.#deps.settings.read();
    const existing = input.id ? settings.providers.find((p) => p.id === input.id) : undefined;
    if (input.id && !existing) throw fieldError('id', 'That provider no longer exists.', 'Reload the Providers page.');
    if (existing && existing.kind !== input.kind) throw fieldError('kind', 'A provider cannot change kind.', 'Add a new provider of the other kind instead.');
    const clash = settings.providers.find((p) => p.id !== input.id && p.name.toLocaleLowerCase() === input.name.toLocaleLowerCase());
    if (clash) throw fieldError('name', `A provider named '${clash.name}' already exists.`, 'Choose another name.');
    const secret = secretOf(input);
    const id = existing?.id ?? randomUUID();
    // A custom endpoint without authentication (loopback only) has no secret to keep.
    const needsSecret = !(input.kind === 'custom' && input.auth === 'none');
    if (needsSecret && !secret && !this.#deps.vault.status(secretRef(id)).configured)
      throw fieldError(secretFieldOf[input.kind].field, `Enter the ${secretFieldOf[input.kind].label}.`);

    // Secret first: a config without its secret would be a provider that cannot work.
    if (secret) await this.#deps.vault.store(secretRef(id), secret);
    const config = configOf(input, id);
    const providers = existing ? settings.providers.map((p) => (p.id === id ? config : p)) : [...settings.providers, config];
    // A changed endpoint or secret invalidates the last test.
    const health = existing && !secret && JSON.stringify(existing) === JSON.stringify(config) ? settings.providerHealth[id] : undefined;
    this.#deps.settings.write({ ...settings, providers, providerHealth: { ...settings.providerHealth, [id]: health ?? emptyHealth } });
    this.#deps.onChanged();
    return this.#view(config, health, settings.postureChecks);
  }

  remove(id: string): boolean {
    const settings = this.#deps.settings.read();
    if (!settings.providers.some((p) => p.id === id)) return false;
    const { [id]: _gone, ...providerHealth } = settings.providerHealth;
    this.#deps.settings.write({ ...settings, providers: settings.providers.filter((p) => p.id !== id), providerHealth });
    this.#deps.vault.remove(secretRef(id));
    this.#deps.onChanged();
    return true;
  }

  test(id: string): Promise<TestReport> {
    const running = this.#running.get(id);
    if (running) return running;
    const run = this.#runTest(id).finally(() => this.#running.delete(id));
    this.#running.set(id, run);
    return run;
  }

  /** Settings were changed behind this service's back (configuration import). */
  notifyChanged(): void {
    this.#deps.onChanged();
  }

  /** Records the outcome of any contact with the provider (tests and polls). */
  recordHealth(id: string, patch: Partial<ProviderHealth>): void {
    const settings = this.#deps.settings.read();
    if (!settings.providers.some((p) => p.id === id)) return;
    const current = settings.providerHealth[id] ?? emptyHealth;
    this.#deps.settings.write({ ...settings, providerHealth: { ...settings.providerHealth, [id]: { ...current, ...patch } } });
    this.#deps.onChanged();
  }

  async #runTest(id: string): Promise<TestReport> {
    const config = this.get(id);
    const runId = randomUUID();
    const report = await this.#deps.tester(config, {
      runId,
      getSecret: () => this.getSecret(id),
      onStep: (step) => this.#deps.onTestStep({ providerId: id, runId, step }),
      onRegionDiscovered: (found) => this.moveRegion(id, found),
    });
    const failed = report.steps.find((s) => s.status === 'fail');
    const at = this.#deps.clock().toISOString();
    this.recordHealth(id, {
      lastTestAt: at,
      lastTestOk: report.ok,
      ...(report.ok ? { lastSuccessAt: at, lastError: null } : { lastError: failed ? `${failed.title}: ${failed.cause ?? failed.observed}` : 'Test failed' }),
    });
    return report;
  }

  /**
   * Region auto-discovery: the credentials belong to another cloud; remember where requests now go
   * (a cloud's public host is saved as that region, anything else as custom with its base URL).
   */
  moveRegion(id: string, found: RegionMove): void {
    const settings = this.#deps.settings.read();
    let changed = false;
    const providers = settings.providers.map((p) => {
      if (p.id !== id || (p.kind !== 'crowdstrike-zta' && p.kind !== 'crowdstrike-falcon-incidents')) return p;
      const next: ProviderConfig = withFalconEndpoint(p, falconEndpointAfterMove(found));
      changed = JSON.stringify(next) !== JSON.stringify(p);
      return next;
    });
    if (!changed) return;
    this.#deps.settings.write({ ...settings, providers });
    this.#deps.onChanged();
  }

  #view(config: ProviderConfig, health: ProviderHealth | undefined, checks: readonly { providerId: string; enabled: boolean }[]): ProviderView {
    const known = health ?? emptyHealth;
    const enabledChecks = checks.filter((c) => c.providerId === config.id && c.enabled).length;
    return { config, secret: this.#deps.vault.status(secretRef(config.id)), health: known, status: providerStatusOf(config.kind, known, enabledChecks) };
  }
}
