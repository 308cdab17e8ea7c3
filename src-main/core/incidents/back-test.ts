// Back-test: what a draft rule set would do to the alerts stored for a time window, next to the saved set —
// alerts per rule, incidents per priority, and the alerts whose outcome would change.
import { BackTestRequest, type BackTestChange, type BackTestResult, type BackTestSide, type IncidentPriority } from '../../../src-shared/schemas/incidents';
import type { RuleMatch, RuleSet } from '../../../src-shared/schemas/rules';
import { canonicalTimestamp } from './alert-time';
import { compileOrThrow } from './compiled-rules';
import { isMoreUrgent } from './incident-lifecycle';
import type { IncidentRepository } from './operations';
import { parseInput } from './problems';
import { evaluateRuleSet, type CompiledRuleSet, type RuleSetMatch } from './rules';

const BACK_TEST_PAGE = 1000;
const MAX_CHANGES_LISTED = 300;

function emptySide(set: CompiledRuleSet): BackTestSide {
  return {
    rules: set.rules.map((r) => ({
      ruleIndex: r.index,
      ruleId: r.rule.id,
      action: r.outcome.action,
      priority: r.outcome.action === 'create_incident' ? r.outcome.priority : null,
      alerts: 0,
    })),
    incidents: 0,
    byPriority: { P1: 0, P2: 0, P3: 0, P4: 0 },
    logged: 0,
    unmatched: 0,
  };
}

/** Counts one alert; alerts of one Falcon aggregate make one incident, at the most urgent priority. */
function tally(side: BackTestSide, incidents: Map<string, IncidentPriority>, match: RuleSetMatch | null, aggregate: string): void {
  if (!match) {
    side.unmatched++;
    return;
  }
  const rule = side.rules[match.ruleIndex];
  if (rule) rule.alerts++;
  if (match.outcome.action === 'log_only') {
    side.logged++;
    return;
  }
  const previous = incidents.get(aggregate);
  if (!previous || isMoreUrgent(match.outcome.priority, previous)) incidents.set(aggregate, match.outcome.priority);
}

function finish(side: BackTestSide, incidents: Map<string, IncidentPriority>): BackTestSide {
  for (const priority of incidents.values()) side.byPriority[priority]++;
  return { ...side, incidents: incidents.size };
}

const asRuleMatch = (m: RuleSetMatch | null): RuleMatch | null => (m ? { ruleIndex: m.ruleIndex, ruleId: m.rule.id, outcome: m.outcome } : null);
const outcomeKey = (m: RuleSetMatch | null) => (m ? `${m.outcome.action}:${m.outcome.action === 'create_incident' ? m.outcome.priority : ''}` : 'no_match');

/** What the draft would do to the alerts stored for a window, next to what the saved set does. */
export async function backTest(repository: IncidentRepository, savedSet: RuleSet, request: BackTestRequest, signal?: AbortSignal): Promise<BackTestResult> {
  const req = parseInput(BackTestRequest, request, 'back-test');
  const draft = compileOrThrow(req.ruleSet, 'draft');
  const saved = compileOrThrow(savedSet, 'saved');
  const sides = { draft: emptySide(draft), saved: emptySide(saved) };
  const incidents = { draft: new Map<string, IncidentPriority>(), saved: new Map<string, IncidentPriority>() };
  const changes: BackTestChange[] = [];
  let alerts = 0;
  let changed = 0;
  for (let after: string | null = null; ;) {
    signal?.throwIfAborted();
    const page = await repository.alertsInWindow({
      fromKey: canonicalTimestamp(req.from) ?? req.from,
      toKey: canonicalTimestamp(req.to) ?? req.to,
      integrationId: req.integrationId,
      after,
      limit: BACK_TEST_PAGE,
    });
    for (const stored of page) {
      alerts++;
      const aggregate = stored.summary.aggregateId ?? stored.compositeId;
      const d = evaluateRuleSet(draft, stored.raw);
      const s = evaluateRuleSet(saved, stored.raw);
      tally(sides.draft, incidents.draft, d, aggregate);
      tally(sides.saved, incidents.saved, s, aggregate);
      if (outcomeKey(d) !== outcomeKey(s)) {
        changed++;
        if (changes.length < MAX_CHANGES_LISTED) changes.push({ alert: stored.summary, draft: asRuleMatch(d), saved: asRuleMatch(s) });
      }
    }
    const last = page.at(-1);
    if (page.length < BACK_TEST_PAGE || !last) break;
    after = `${last.createdKey}\n${last.compositeId}`;
  }
  return { alerts, draft: finish(sides.draft, incidents.draft), saved: finish(sides.saved, incidents.saved), changes, changed };
}
