// Forwarding sinks: list with live status, save, remove, the layered Test with live steps, dead letters.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { TestStep } from '../../src-shared/schemas/providers';
import type { SinkInput, SinkTestReport } from '../../src-shared/schemas/sinks';
import { call, onContractEvent } from './client';

export const sinkKeys = { all: ['sinks'] as const, deadLetters: (id: string) => ['sinks', 'dead-letters', id] as const };

/** Lag and rate move while events flow: the list refreshes every few seconds while the screen is open. */
export function useSinks() {
  return useQuery({ queryKey: sinkKeys.all, queryFn: () => call('sinks.list', {}), refetchInterval: 3_000 });
}

export function useSaveSink() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: SinkInput) => call('sinks.save', input),
    onSuccess: () => client.invalidateQueries({ queryKey: sinkKeys.all }),
  });
}

export function useRemoveSink() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call('sinks.remove', { id }),
    onSuccess: () => client.invalidateQueries({ queryKey: sinkKeys.all }),
  });
}

export function useSinkTest(sinkId: string) {
  const [steps, setSteps] = useState<TestStep[]>([]);
  const mutation = useMutation({
    mutationFn: () => call('sinks.test', { id: sinkId }),
    onMutate: () => setSteps([]),
    onSuccess: (report: SinkTestReport) => setSteps(report.steps),
  });
  const running = mutation.isPending;
  useEffect(() => {
    if (!running) return;
    return onContractEvent('sinks.testProgress', (progress) => {
      if (progress.sinkId !== sinkId) return;
      setSteps((current) => {
        const index = current.findIndex((s) => s.id === progress.step.id);
        if (index === -1) return [...current, progress.step];
        const next = current.slice();
        next[index] = progress.step;
        return next;
      });
    });
  }, [running, sinkId]);
  return { run: mutation.mutate, running, steps, report: mutation.data, error: mutation.error };
}

export function useDeadLetters(sinkId: string) {
  return useQuery({ queryKey: sinkKeys.deadLetters(sinkId), queryFn: () => call('sinks.deadLetters', { id: sinkId }) });
}

export function useDeadLetterAction(sinkId: string, action: 'retry' | 'discard') {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (eventIds?: string[]) => call(action === 'retry' ? 'sinks.retryDeadLetters' : 'sinks.discardDeadLetters', { id: sinkId, eventIds }),
    onSuccess: () => client.invalidateQueries({ queryKey: sinkKeys.all }),
  });
}
