// `posture-console checks add|list|remove|what-if`: the Checks page for scripts and terminals, through the
// same contract channels (and so the same schema and provider checks) as the editor.
import type { Command } from 'commander';
import { describeRule } from '../../src-shared/posture-rule-text';
import { attributeSpec, postureAttributes, type AttributeSpec, type PostureCheck, type PostureCheckInput } from '../../src-shared/schemas/posture';
import { postureSources } from '../../src-shared/schemas/sources';
import type { ProviderView } from '../../src-shared/schemas/providers';
import type { App } from '../core/app';
import { defaultDataDir } from './data-dir';
import { CliError, invoke } from './invoke';
import { parsePositiveInt } from './options';
import { findProvider, withApp, type Common } from './with-app';

const list = (value: string) =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

interface RuleOptions {
  attribute?: string;
  operator?: string;
  value?: string;
  accepted?: string[];
  within?: string;
  expected?: string;
  /** present_in: the other source, by name or id (resolved to its id before the rule is built). */
  source?: string;
  key?: string;
}

interface DraftOptions extends Common, RuleOptions {
  provider: string;
  name?: string;
  disabled?: boolean;
}

/** Which rule options each attribute takes; the others are refused rather than silently ignored. */
const RULE_OPTIONS: Record<string, Array<keyof RuleOptions>> = {
  overall: ['operator', 'value'],
  os: ['operator', 'value'],
  sensor_config: ['operator', 'value'],
  version: ['operator', 'value'],
  active_threats: ['operator', 'value'],
  state: ['accepted'],
  network_status: ['accepted'],
  operational_state: ['accepted'],
  last_seen: ['within'],
  infected: ['expected'],
  is_active: ['expected'],
  present_in: ['source'],
};
const RULE_OPTION_NAMES: Array<keyof RuleOptions> = ['operator', 'value', 'accepted', 'within', 'expected', 'key', 'source'];

/** The options of an attribute described as data (newer sources), by its rule shape. */
const SHAPE_OPTIONS: Record<AttributeSpec['shape'], Array<keyof RuleOptions>> = {
  accepted: ['accepted'],
  boolean: ['expected'],
  version: ['operator', 'value'],
  within: ['within'],
  names: ['accepted'],
  number: ['operator', 'value'],
  keyed: ['key', 'operator', 'value'],
};
const optionsOf = (attribute: string): Array<keyof RuleOptions> | undefined => {
  const spec = attributeSpec(attribute);
  return spec ? SHAPE_OPTIONS[spec.shape] : RULE_OPTIONS[attribute];
};

/** Numbers as numbers, anything else as typed, so the schema's own message names what is wrong with it. */
const numberOrText = (v: string | undefined) => (v !== undefined && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : v);
const booleanOrText = (v: string | undefined) => (v === 'true' ? true : v === 'false' ? false : v);

/** The rule object the schema parses, from the options; validation is the schema's, not this function's. */
export function ruleFromOptions(opts: RuleOptions): Record<string, unknown> {
  const attribute = opts.attribute;
  const takes = attribute ? optionsOf(attribute) : undefined;
  if (takes) {
    const extra = RULE_OPTION_NAMES.filter((o) => opts[o] !== undefined && !takes.includes(o));
    if (extra.length)
      throw new CliError({
        code: 'invalid_input',
        message: `${extra.map((o) => `--${o}`).join(' and ')} ${extra.length === 1 ? 'does' : 'do'} not apply to --attribute ${attribute}.`,
        fix: `--attribute ${attribute} takes ${takes.map((o) => `--${o}`).join(' and ')}.`,
      });
  }
  const spec = attribute ? attributeSpec(attribute) : undefined;
  if (spec)
    switch (spec.shape) {
      case 'accepted':
        return { attribute, accepted: opts.accepted };
      case 'boolean':
        return { attribute, expected: booleanOrText(opts.expected) };
      case 'version':
        return { attribute, operator: opts.operator, value: opts.value };
      case 'within':
        return { attribute, within: opts.within };
      case 'names':
        return { attribute, accepted: opts.accepted };
      case 'number':
        return { attribute, operator: opts.operator, value: numberOrText(opts.value) };
      case 'keyed': {
        const value = opts.value;
        return { attribute, key: opts.key, operator: opts.operator ?? '==', value: value === 'true' ? true : value === 'false' ? false : numberOrText(value) };
      }
    }
  switch (attribute) {
    case 'version':
      return { attribute, operator: opts.operator, value: opts.value };
    case 'state':
    case 'network_status':
    case 'operational_state':
      return { attribute, accepted: opts.accepted };
    case 'last_seen':
      return { attribute, within: opts.within };
    case 'infected':
    case 'is_active':
      return { attribute, expected: booleanOrText(opts.expected) };
    case 'present_in':
      return { attribute, sourceId: opts.source };
    default:
      return { attribute, operator: opts.operator, value: numberOrText(opts.value) };
  }
}

/** ", complianceState, jailBroken": the attributes described as data that take an option of this shape. */
const also = (shape: AttributeSpec['shape']): string =>
  Object.entries(postureAttributes)
    .filter(([, a]) => a.spec?.shape === shape)
    .map(([k]) => `, ${k}`)
    .join('');

function addRuleOptions(command: Command): Command {
  const groups = Object.values(postureSources).map((source) => {
    const names = Object.entries(postureAttributes)
      .filter(([, a]) => a.kind === source.kind)
      .map(([k]) => k);
    return `${names.join(', ')} (${source.short})`;
  });
  return command
    .option('--attribute <attribute>', `what to check: ${groups.join(', ')} or present_in (any source)`)
    .option('--operator <op>', `for scores, version${also('version')} and active_threats: <, <=, >, >=, == (versions: ==, !=, >=, <=); quote it: '>='`)
    .option('--value <value>', `for scores 1-100, active_threats 0-10000, version${also('version')} such as 2.1.0`)
    .option('--accepted <list>', `for state, network_status, operational_state${also('accepted')}: comma-separated accepted values`, list)
    .option('--within <bucket>', `for last_seen${also('within')}: 1h, 3h, 6h, 12h, 24h, 7d, 30d or >30d`)
    .option('--expected <bool>', `for infected and is_active${also('boolean')}: true or false`)
    .option('--key <name>', `for${also('keyed').slice(1)}: the attribute name the endpoint sends (with --operator and --value)`)
    .option('--source <name>', 'for present_in: the other posture source the device must also be in (an MDM, an EDR)');
}

/** `--source NAME` as the provider id the rule stores; an unknown name is refused with the known ones. */
async function withSourceId<T extends RuleOptions>(app: App, opts: T): Promise<T> {
  if (opts.source === undefined) return opts;
  return { ...opts, source: (await findProvider(app, opts.source)).config.id };
}

async function sourceNames(app: App): Promise<(id: string) => string | undefined> {
  const all = await invoke(app, 'providers.list', {});
  return (id) => all.find((p) => p.config.id === id)?.config.name;
}

async function findCheck(app: App, name: string, provider?: ProviderView): Promise<PostureCheck> {
  const all = await invoke(app, 'checks.list', provider ? { providerId: provider.config.id } : {});
  const found = all.filter((c) => c.id === name || c.name.toLowerCase() === name.toLowerCase());
  if (found.length === 1) return found[0]!;
  if (found.length > 1)
    throw new CliError({
      code: 'posture.check_ambiguous',
      message: `${found.length} checks are named '${name}'.`,
      fix: 'Name the provider too: --provider NAME.',
    });
  throw new CliError({
    code: 'posture.check_not_found',
    message: `No check named '${name}'${provider ? ` on ${provider.config.name}` : ''}.`,
    fix: `Known checks: ${all.map((c) => c.name).join(', ') || 'none yet'}. Add one with \`posture-console checks add\`.`,
  });
}

/** A saved check's rule as options, so a what-if can change one part of it (`--value 80`) and keep the rest. */
function baseOptions(base: PostureCheck | undefined, attribute: string | undefined): RuleOptions {
  if (!base || (attribute !== undefined && attribute !== base.rule.attribute)) return {};
  const rule = base.rule as Partial<Record<'operator' | 'value' | 'within' | 'expected' | 'sourceId', unknown>> & { attribute: string; accepted?: string[] };
  return {
    attribute: rule.attribute,
    operator: rule.operator as string | undefined,
    value: rule.value === undefined ? undefined : String(rule.value),
    accepted: rule.accepted,
    within: rule.within as string | undefined,
    expected: rule.expected === undefined ? undefined : String(rule.expected),
    source: rule.sourceId as string | undefined,
  };
}

const definedOnly = (opts: RuleOptions): RuleOptions =>
  Object.fromEntries(
    RULE_OPTION_NAMES.concat('attribute')
      .filter((k) => opts[k] !== undefined)
      .map((k) => [k, opts[k]]),
  );

function draftOf(opts: DraftOptions, provider: ProviderView, base?: PostureCheck): PostureCheckInput {
  const ruleGiven = opts.attribute !== undefined || RULE_OPTION_NAMES.some((o) => opts[o] !== undefined);
  return {
    ...(base ? { id: base.id } : {}),
    name: opts.name ?? base?.name,
    providerId: provider.config.id,
    enabled: opts.disabled ? false : (base?.enabled ?? true),
    rule: ruleGiven || !base ? ruleFromOptions({ ...baseOptions(base, opts.attribute), ...definedOnly(opts) }) : base.rule,
  } as PostureCheckInput;
}

const count = (n: number) => n.toLocaleString('en-US');

export function registerChecks(program: Command): void {
  const checks = program
    .command('checks')
    .description('add, list, remove and try posture checks (one rule on one provider)')
    .option('-d, --data-dir <dir>', 'data directory', defaultDataDir())
    .option('--json', 'machine-readable output');

  checks
    .command('list')
    .description('list posture checks, and the posture providers that have none')
    .option('--provider <name>', 'only the checks of this provider')
    .action(
      withApp<Common & { provider?: string }>(async (app, opts) => {
        const provider = opts.provider ? await findProvider(app, opts.provider) : undefined;
        const all = await invoke(app, 'checks.list', provider ? { providerId: provider.config.id } : {});
        if (opts.json) return void process.stdout.write(JSON.stringify(all, null, 2) + '\n');
        const providers = provider ? [provider] : await invoke(app, 'providers.list', {});
        const nameOf = new Map(providers.map((p) => [p.config.id, p.config.name]));
        const named = await sourceNames(app);
        for (const c of all)
          process.stdout.write(
            `${c.name}\t${nameOf.get(c.providerId) ?? c.providerId}\t${describeRule(c.rule, named)}\t${c.enabled ? 'enabled' : 'disabled'}\n`,
          );
        const bare = providers.filter(
          (p) => (p.config.kind === 'crowdstrike-zta' || p.config.kind === 'sentinelone') && !all.some((c) => c.providerId === p.config.id),
        );
        for (const p of bare)
          process.stdout.write(
            `${p.config.name} has no checks: its polls evaluate nothing. Add one with \`posture-console checks add --provider "${p.config.name}" …\`.\n`,
          );
        if (all.length === 0 && bare.length === 0)
          process.stdout.write('No posture checks, and no posture provider to run them on. Add a provider first: `posture-console providers add`.\n');
      }),
    );

  addRuleOptions(
    checks
      .command('add')
      .description('add a posture check, validated as the Checks editor validates it')
      .requiredOption('--provider <name>', 'the CrowdStrike ZTA or SentinelOne provider it runs on')
      .requiredOption('--name <name>', 'a name for the check, unique on its provider'),
  )
    .option('--disabled', 'save it switched off')
    .action(
      withApp<DraftOptions>(async (app, opts) => {
        const provider = await findProvider(app, opts.provider);
        const saved = await invoke(app, 'checks.save', draftOf(await withSourceId(app, opts), provider));
        if (opts.json) return void process.stdout.write(JSON.stringify(saved, null, 2) + '\n');
        process.stdout.write(
          `Added "${saved.name}" on ${provider.config.name}: ${describeRule(saved.rule, await sourceNames(app))}${saved.enabled ? '' : ' (disabled)'}. The next poll evaluates it.\n`,
        );
      }),
    );

  checks
    .command('remove <check>')
    .description('remove a posture check (its log rows stay)')
    .option('--provider <name>', 'the provider, when two providers have a check of that name')
    .action(
      withApp<Common & { provider?: string }>(async (app, opts, name) => {
        const provider = opts.provider ? await findProvider(app, opts.provider) : undefined;
        const check = await findCheck(app, name!, provider);
        await invoke(app, 'checks.remove', { id: check.id });
        if (opts.json) return void process.stdout.write(JSON.stringify({ removed: check.id }) + '\n');
        process.stdout.write(`Removed "${check.name}".\n`);
      }),
    );

  addRuleOptions(
    checks
      .command('what-if')
      .description('poll the provider now, then show what a draft check would conclude, without saving it')
      .requiredOption('--provider <name>', 'the provider the draft runs on')
      .option('--check <name>', 'a saved check to change: the draft starts from it and shows the devices that would flip')
      .option('--name <name>', 'the draft name (checked for clashes as on save)'),
  )
    .option('--limit <n>', 'how many flipping devices to list', parsePositiveInt, 20)
    .action(
      withApp<DraftOptions & { check?: string; limit: number }>(async (app, opts) => {
        const provider = await findProvider(app, opts.provider);
        const base = opts.check ? await findCheck(app, opts.check, provider) : undefined;
        const draft = draftOf({ ...(await withSourceId(app, opts)), name: opts.name ?? base?.name ?? 'What-if draft' }, provider, base);
        // Validate before polling: a mistake should not cost a full inventory pull.
        await invoke(app, 'checks.whatIf', { draft, limit: 1 });
        // What-if reads the inventory of the last poll; a command line has none until it polls (a presence check
        // reads the other source too, so that one first).
        const rule = draft.rule as { attribute: string; sourceId?: string };
        const polled = rule.attribute === 'present_in' && rule.sourceId ? [rule.sourceId, provider.config.id] : [provider.config.id];
        for (const id of polled) {
          const name = id === provider.config.id ? provider.config.name : ((await sourceNames(app))(id) ?? id);
          if (!opts.json) process.stderr.write(`Polling ${name} for current data (recorded in the log like any poll)…\n`);
          const run = await invoke(app, 'posture.pollNow', { providerId: id });
          if (run.outcome !== 'succeeded') {
            process.stderr.write(`✗ ${name}: the poll ${run.outcome}${run.error ? ` — ${run.error}` : ''}\n`);
            return 1;
          }
        }
        const result = await invoke(app, 'checks.whatIf', { draft, limit: opts.limit });
        if (opts.json) return void process.stdout.write(JSON.stringify(result, null, 2) + '\n');
        const { pass, fail, unknown } = result.counts;
        process.stdout.write(
          `What-if "${draft.name}" (${describeRule(draft.rule as never, await sourceNames(app))}) on ${provider.config.name}: ${count(result.devices)} devices\n`,
        );
        process.stdout.write(`  draft:  ${count(pass)} pass, ${count(fail)} fail, ${count(unknown)} unknown\n`);
        if (result.savedCounts)
          process.stdout.write(
            `  saved:  ${count(result.savedCounts.pass)} pass, ${count(result.savedCounts.fail)} fail, ${count(result.savedCounts.unknown)} unknown\n`,
          );
        if (result.flipsTotal === 0) process.stdout.write(base ? '  No device would change its result.\n' : '');
        else {
          const shown = result.flips.length < result.flipsTotal ? ` (first ${result.flips.length}, worst first)` : '';
          process.stdout.write(
            base ? `  ${count(result.flipsTotal)} devices would change${shown}:\n` : `  Results of ${count(result.flipsTotal)} devices${shown}:\n`,
          );
          for (const f of result.flips)
            process.stdout.write(`    ${f.deviceName}\t${f.serial ?? '-'}\t${f.before ?? 'new'} → ${f.after}\t${f.received ?? f.reason}\n`);
        }
        process.stdout.write('Nothing was saved.\n');
      }),
    );
}
