// The Detection Rules screen's channels: validate, complete, import/export the seed format, save,
// and the two ways of trying a draft (dry run against Falcon, back-test over stored alerts), which can be stopped.
import type { Handlers } from '../../../src-shared/contract';
import { ContractError } from '../../../src-shared/errors';
import type { RuleSet } from '../../../src-shared/schemas/rules';
import { checkCondition, compileRuleSet, completeCondition, exportDetectionRulesText, fieldInfos, formatIssue, importDetectionRules } from './rules';
import type { CancellableRuns } from '../cancellable-runs';
import type { IncidentService } from './service';

type RuleChannels = Pick<
  Handlers,
  | 'rules.get'
  | 'rules.save'
  | 'rules.check'
  | 'rules.complete'
  | 'rules.fields'
  | 'rules.import'
  | 'rules.export'
  | 'rules.dryRun'
  | 'rules.backTest'
  | 'rules.cancel'
>;

export function createRuleHandlers(deps: {
  ruleSet: () => RuleSet;
  save: (set: RuleSet) => void;
  incidents: IncidentService;
  runs: CancellableRuns;
}): RuleChannels {
  const { runs } = deps;
  return {
    'rules.get': async () => deps.ruleSet(),
    'rules.save': async (set) => {
      const compiled = compileRuleSet(set);
      if (!compiled.ok) {
        const first = compiled.issues[0];
        throw new ContractError({
          code: 'invalid_input',
          message: first ? `The rule set has errors: ${formatIssue(first)}` : 'The rule set has errors.',
          fix: 'Correct the marked rules; nothing was saved.',
          issues: compiled.issues.map((i) => ({ path: i.path, message: i.message + (i.suggestion ? ` — ${i.suggestion}` : '') })),
        });
      }
      deps.save(set);
      return { ruleSet: set, warnings: [...compiled.warnings] };
    },
    'rules.check': async ({ condition }) => ({ diagnostics: [...checkCondition(condition).diagnostics] }),
    'rules.complete': async ({ condition, offset }) => completeCondition(condition, offset),
    'rules.fields': async () => fieldInfos(),
    'rules.import': async ({ text }) => importDetectionRules(text),
    'rules.export': async ({ ruleSet }) => ({ text: exportDetectionRulesText(ruleSet) }),
    'rules.dryRun': (request) => runs.run(request.runId, (signal) => deps.incidents.dryRun(request, signal)),
    'rules.backTest': (request) => runs.run(request.runId, (signal) => deps.incidents.backTest(request, signal)),
    'rules.cancel': async ({ runId }) => ({ cancelled: runs.cancel(runId) }),
  };
}
