// Export and import of the configuration without secrets: providers, checks, rules, enrichment
// mapping, retention. An import is validated as a whole before anything changes.
import { adminErrorMap, ContractError, invalidInput } from '../../src-shared/errors';
import { ConfigDocument, type ConfigImportResult } from '../../src-shared/schemas/preferences';
import type { Connections } from './connections/service';
import type { SettingsStore } from './settings/store';

export interface ConfigTransferDeps {
  settings: SettingsStore;
  connections: Connections;
  enrichment: { get(): Promise<ConfigDocument['enrichmentMapping']>; set(mapping: NonNullable<ConfigDocument['enrichmentMapping']>): Promise<unknown> };
  now: () => Date;
}

export function createConfigTransfer(deps: ConfigTransferDeps) {
  return {
    async exportText(): Promise<string> {
      const s = deps.settings.read();
      const doc: ConfigDocument = {
        format: 'posture-console-config',
        version: 1,
        exportedAt: deps.now().toISOString(),
        providers: s.providers,
        checks: s.postureChecks,
        ruleSet: s.ruleSet,
        enrichmentMapping: await deps.enrichment.get(),
        retentionDays: s.retentionDays,
      };
      return JSON.stringify(doc, null, 2);
    },

    async importText(text: string): Promise<ConfigImportResult> {
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        throw new ContractError({ code: 'invalid_input', message: 'The file is not valid JSON.', fix: 'Choose a file exported by Posture Console.' });
      }
      const parsed = ConfigDocument.safeParse(raw, { error: adminErrorMap });
      if (!parsed.success) throw invalidInput(parsed.error, 'configuration file');
      const doc = parsed.data;
      const ids = new Set(doc.providers.map((p) => p.id));
      const orphan = doc.checks.find((c) => !ids.has(c.providerId));
      if (orphan)
        throw new ContractError({
          code: 'invalid_input',
          message: `Check '${orphan.name}' refers to a provider that is not in the file.`,
          fix: 'Export the configuration again from the source installation.',
        });
      if (doc.enrichmentMapping) await deps.enrichment.set(doc.enrichmentMapping);
      const current = deps.settings.read();
      // Providers merge by id; a provider whose name is taken by another id keeps the file's name with a suffix.
      const kept = current.providers.filter((p) => !ids.has(p.id));
      const taken = new Set(kept.map((p) => p.name.toLowerCase()));
      const imported = doc.providers.map((p) => (taken.has(p.name.toLowerCase()) ? { ...p, name: `${p.name} (imported)` } : p));
      deps.settings.write({
        ...current,
        providers: [...kept, ...imported],
        postureChecks: [...current.postureChecks.filter((c) => !doc.checks.some((d) => d.id === c.id)), ...doc.checks],
        ruleSet: doc.ruleSet ?? current.ruleSet,
        retentionDays: doc.retentionDays,
      });
      deps.connections.notifyChanged();
      const needSecrets = deps.connections
        .list()
        .filter((v) => ids.has(v.config.id) && !v.secret.configured)
        .map((v) => ({ id: v.config.id, name: v.config.name }));
      return { providers: imported.length, checks: doc.checks.length, rules: doc.ruleSet?.rules.length ?? 0, needSecrets };
    },
  };
}
