// Posture checks: what a rule expects in words, whether it fits its provider, and the saved list of checks.
import { adminErrorMap, ContractError, invalidFields, invalidInput, type FieldIssue } from '../../../src-shared/errors';
import { PostureCheckInput, attributeFits, isPostureProviderKind, postureAttributes, type PostureCheck } from '../../../src-shared/schemas/posture';
import { providerKindLabels, type ProviderConfig } from '../../../src-shared/schemas/providers';

export { describeRule } from '../../../src-shared/posture-rule-text';

/** Domain problems a schema cannot see: the provider exists, reports posture, and reports this attribute. */
export function checkIssues(
  check: Pick<PostureCheck, 'providerId' | 'rule' | 'name'> & { id?: string | undefined },
  providers: readonly ProviderConfig[],
  existing: readonly PostureCheck[] = [],
): FieldIssue[] {
  const provider = providers.find((p) => p.id === check.providerId);
  if (!provider) return [{ path: 'providerId', message: 'This provider no longer exists; choose another one.' }];
  const kind = provider.kind;
  if (!isPostureProviderKind(kind))
    return [
      {
        path: 'providerId',
        message: `"${provider.name}" is a ${providerKindLabels[kind]} connection; posture checks run on CrowdStrike ZTA or SentinelOne providers.`,
      },
    ];
  const issues: FieldIssue[] = [];
  const attribute = postureAttributes[check.rule.attribute];
  if (attribute.kind !== 'any' && !attributeFits(check.rule.attribute, kind)) {
    const fitting = Object.values(postureAttributes)
      .filter((a) => a.kind === kind || a.kind === 'any')
      .map((a) => a.label)
      .join(', ');
    issues.push({
      path: 'rule.attribute',
      message: `${attribute.label} is a ${providerKindLabels[attribute.kind]} attribute, but "${provider.name}" is a ${providerKindLabels[kind]} provider. Choose one of: ${fitting}.`,
    });
  }
  if (check.rule.attribute === 'present_in') issues.push(...presenceIssues(check.rule.sourceId, provider, providers));
  const name = check.name.toLowerCase();
  if (existing.some((c) => c.id !== check.id && c.providerId === check.providerId && c.name.toLowerCase() === name))
    issues.push({ path: 'name', message: `A check named "${check.name}" already exists on "${provider.name}".` });
  return issues;
}

/** A presence check names another posture source of this console. */
function presenceIssues(sourceId: string, provider: ProviderConfig, providers: readonly ProviderConfig[]): FieldIssue[] {
  const others = providers.filter((p) => p.id !== provider.id && isPostureProviderKind(p.kind));
  const choose = others.length
    ? `Choose one of: ${others.map((p) => p.name).join(', ')}.`
    : 'Add another posture source on Providers first (an MDM or a second EDR).';
  if (sourceId === provider.id)
    return [{ path: 'rule.sourceId', message: `Every device of "${provider.name}" is present in "${provider.name}": name another source. ${choose}` }];
  const source = providers.find((p) => p.id === sourceId);
  if (!source) return [{ path: 'rule.sourceId', message: `That source no longer exists. ${choose}` }];
  if (!isPostureProviderKind(source.kind))
    return [{ path: 'rule.sourceId', message: `"${source.name}" reports no devices (it is a ${providerKindLabels[source.kind]} connection). ${choose}` }];
  return [];
}

/** Parses editor input and checks it against the providers; throws a field-level ContractError. */
export function validateCheck(input: unknown, providers: readonly ProviderConfig[], existing: readonly PostureCheck[] = []): PostureCheckInput {
  const parsed = PostureCheckInput.safeParse(input, { error: adminErrorMap });
  if (!parsed.success) throw invalidInput(parsed.error, 'posture check');
  const issues = checkIssues(parsed.data, providers, existing);
  if (issues.length) throw invalidFields(issues, 'posture check');
  return parsed.data;
}

/** Where the checks are kept (the settings file, in the app). */
export interface CheckPersistence {
  load(): PostureCheck[];
  save(checks: PostureCheck[]): void;
}

export interface CheckServiceDeps {
  persistence: CheckPersistence;
  providers: () => readonly ProviderConfig[];
  newId: () => string;
  onChanged?: (checks: readonly PostureCheck[]) => void;
}

export function createCheckService(deps: CheckServiceDeps) {
  const notFound = (id: string) =>
    new ContractError({ code: 'posture.check_not_found', message: `No posture check with id ${id}.`, fix: 'Reload the list of checks.' });
  const write = (checks: PostureCheck[]) => {
    deps.persistence.save(checks);
    deps.onChanged?.(checks);
  };

  return {
    list(providerId?: string): PostureCheck[] {
      const all = deps.persistence.load();
      return providerId === undefined ? all : all.filter((c) => c.providerId === providerId);
    },
    get(id: string): PostureCheck | undefined {
      return deps.persistence.load().find((c) => c.id === id);
    },
    /** The checks a poll of this provider evaluates. */
    enabledFor(providerId: string): PostureCheck[] {
      return deps.persistence.load().filter((c) => c.enabled && c.providerId === providerId);
    },
    save(input: unknown): PostureCheck {
      const all = deps.persistence.load();
      const valid = validateCheck(input, deps.providers(), all);
      if (valid.id !== undefined && !all.some((c) => c.id === valid.id)) throw notFound(valid.id);
      const check: PostureCheck = { ...valid, id: valid.id ?? deps.newId() };
      write(valid.id === undefined ? [...all, check] : all.map((c) => (c.id === check.id ? check : c)));
      return check;
    },
    remove(id: string): boolean {
      const all = deps.persistence.load();
      const rest = all.filter((c) => c.id !== id);
      if (rest.length === all.length) return false;
      write(rest);
      return true;
    },
  };
}

export type CheckService = ReturnType<typeof createCheckService>;
