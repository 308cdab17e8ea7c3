// Detection rules over the contract: the saved set, saving, the field catalog, condition checks and
// completions for the editor, seed-format import/export, and the two ways of trying a draft.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef } from 'react';
import type { BackTestRequest, DryRunRequest } from '../../src-shared/schemas/incidents';
import type { RuleSet } from '../../src-shared/schemas/rules';
import { call } from './client';
import { queryClient } from './query-client';

/** `rules.changed` invalidates `set`; checks and exports are pure functions of their text and never go stale. */
export const ruleKeys = {
  all: ['rules'] as const,
  set: ['rules', 'set'] as const,
  fields: ['rules', 'fields'] as const,
  check: (condition: string) => ['rules', 'check', condition] as const,
  export: (ruleSet: RuleSet | null) => ['rules', 'export', ruleSet] as const,
};

export function useRuleSet() {
  return useQuery({ queryKey: ruleKeys.set, queryFn: () => call('rules.get', {}) });
}

export function useSaveRuleSet() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (ruleSet: RuleSet) => call('rules.save', ruleSet),
    onSuccess: (saved) => client.setQueryData(ruleKeys.set, saved.ruleSet),
  });
}

export function useRuleFields() {
  return useQuery({ queryKey: ruleKeys.fields, queryFn: () => call('rules.fields', {}), staleTime: Infinity });
}

const checkQuery = (condition: string) => ({
  queryKey: ruleKeys.check(condition),
  queryFn: () => call('rules.check', { condition }),
  staleTime: Infinity,
  gcTime: 60_000,
});

/**
 * The diagnostics of one condition. The editor's linter and the problem list below it ask through the
 * same cache entry, so each text is checked once.
 */
export function fetchConditionCheck(condition: string) {
  return queryClient.fetchQuery(checkQuery(condition));
}

export function useConditionCheck(condition: string) {
  return useQuery({ ...checkQuery(condition), placeholderData: keepPreviousData });
}

/** Completions at a cursor, for CodeMirror's autocompletion source. */
export function fetchConditionCompletion(condition: string, offset: number) {
  return call('rules.complete', { condition, offset });
}

/** The rule set in the StackFlow seed's `detection_rules` format. */
export function useRuleSetJson(ruleSet: RuleSet | null) {
  return useQuery({
    queryKey: ruleKeys.export(ruleSet),
    queryFn: () => call('rules.export', { ruleSet: ruleSet! }),
    enabled: ruleSet !== null,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
}

/** Validates pasted seed JSON; saves nothing. */
export function useImportRules() {
  return useMutation({ mutationFn: (text: string) => call('rules.import', { text }) });
}

/** Pull Recent Detections: what the draft would do with the latest alerts. Creates nothing. */
export function useDryRun() {
  return useStoppableRun((request: DryRunRequest) => call('rules.dryRun', request));
}

/** The draft and the saved set side by side over stored alerts. */
export function useBackTest() {
  return useStoppableRun((request: BackTestRequest) => call('rules.backTest', request));
}

/** A mutation whose run the admin can stop: each call carries a fresh run id, and `stop` cancels it in the core. */
function useStoppableRun<Req extends { runId?: string }, Res>(run: (request: Req) => Promise<Res>) {
  const current = useRef<string | null>(null);
  const mutation = useMutation({
    mutationFn: (request: Req) => {
      const runId = crypto.randomUUID();
      current.current = runId;
      return run({ ...request, runId });
    },
  });
  const { reset } = mutation;
  const stop = useCallback(() => {
    const runId = current.current;
    current.current = null;
    reset();
    if (runId) void call('rules.cancel', { runId }).catch(() => {});
  }, [reset]);
  return { ...mutation, stop };
}
