// Provider connections: list, save, remove, and the one-click Test with live steps.
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { ProviderInput, TestReport, TestStep } from '../../src-shared/schemas/providers';
import { call, onContractEvent } from './client';

export const providerKeys = { all: ['providers'] as const };

/** Every provider connection (the top bar's chip, provider names in lists): shared by the hook and the start. */
export const providersQuery = queryOptions({ queryKey: providerKeys.all, queryFn: () => call('providers.list', {}) });

export function useProviders() {
  return useQuery(providersQuery);
}

export function useSaveProvider() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ProviderInput) => call('providers.save', input),
    onSuccess: () => client.invalidateQueries({ queryKey: providerKeys.all }),
  });
}

export function useRemoveProvider() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call('providers.remove', { id }),
    onSuccess: () => client.invalidateQueries({ queryKey: providerKeys.all }),
  });
}

/** Runs a Test and collects its steps as they are pushed, so the admin watches each layer complete. */
export function useProviderTest(providerId: string) {
  const client = useQueryClient();
  const [steps, setSteps] = useState<TestStep[]>([]);
  const mutation = useMutation({
    mutationFn: () => call('providers.test', { id: providerId }),
    onMutate: () => setSteps([]),
    onSuccess: (report: TestReport) => setSteps(report.steps),
    onSettled: () => client.invalidateQueries({ queryKey: providerKeys.all }),
  });
  const running = mutation.isPending;
  useEffect(() => {
    if (!running) return;
    return onContractEvent('providers.testProgress', (progress) => {
      if (progress.providerId !== providerId) return;
      setSteps((current) => {
        const index = current.findIndex((s) => s.id === progress.step.id);
        if (index === -1) return [...current, progress.step];
        const next = current.slice();
        next[index] = progress.step;
        return next;
      });
    });
  }, [running, providerId]);
  return { run: mutation.mutate, running, steps, report: mutation.data, error: mutation.error };
}

export interface TestAllOutcome {
  providerId: string;
  name: string;
  ok: boolean;
  /** The failing step's cause, or why the Test itself could not run. */
  problem: string | null;
}

/** Tests every provider at once; each row's health follows through `providers.changed`, the summary from here. */
export function useTestAllProviders() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (providers: { id: string; name: string }[]): Promise<TestAllOutcome[]> => {
      const settled = await Promise.allSettled(providers.map((p) => call('providers.test', { id: p.id })));
      return settled.map((result, i) => {
        const { id, name } = providers[i]!;
        if (result.status === 'rejected')
          return { providerId: id, name, ok: false, problem: result.reason instanceof Error ? result.reason.message : 'The test could not run.' };
        const failed = result.value.steps.find((s) => s.status === 'fail');
        return { providerId: id, name, ok: result.value.ok, problem: failed ? `${failed.title}: ${failed.cause ?? failed.observed}` : null };
      });
    },
    onSettled: () => client.invalidateQueries({ queryKey: providerKeys.all }),
  });
}
