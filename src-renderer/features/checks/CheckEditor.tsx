// Add / edit a posture check: provider, attribute, the rows that fit it, name, enabled; the what-if runs beside it as you type.
import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, Grid, Group, Select, Stack, Switch, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { Controller, useForm, useWatch, type FieldPath } from 'react-hook-form';
import { ContractError } from '../../../src-shared/contract-error';
import {
  PostureCheckInput,
  attributeFits,
  postureAttributes,
  type PostureAttribute,
  type PostureCheck,
  type PostureProviderKind,
} from '../../../src-shared/schemas/posture';
import type { ProviderConfig } from '../../../src-shared/schemas/providers';
import { useSaveCheck } from '../../api/posture';
import { ErrorNotice } from '../../app/ErrorNotice';
import { RuleFields, type CheckFormValues } from './RuleFields';
import { attributesOf, defaultRules } from './ruleText';
import { WhatIfPanel } from './WhatIfPanel';

export type PostureProviderConfig = Extract<ProviderConfig, { kind: PostureProviderKind }>;

/** Fields the editor shows; a server issue on any other path is shown above the buttons. */
const fieldPaths = [
  'name',
  'providerId',
  'enabled',
  'rule.attribute',
  'rule.operator',
  'rule.value',
  'rule.accepted',
  'rule.within',
  'rule.expected',
  'rule.sourceId',
];

function fieldOf(issuePath: string): string | null {
  // whatIf and save answer with the request's path ("draft.rule.value", "rule.accepted.0").
  const parts = issuePath.replace(/^draft\./, '').split('.');
  const path = parts[0] === 'rule' ? parts.slice(0, 2).join('.') : (parts[0] ?? '');
  return fieldPaths.includes(path) ? path : null;
}

function startingValues(providers: PostureProviderConfig[], existing: PostureCheck | undefined, providerId: string | undefined): CheckFormValues {
  if (existing) return { id: existing.id, name: existing.name, providerId: existing.providerId, enabled: existing.enabled, rule: existing.rule };
  const provider = providers.find((p) => p.id === providerId) ?? providers[0];
  const attribute = provider ? attributesOf(provider.kind)[0]! : 'overall';
  return { name: '', providerId: provider?.id ?? '', enabled: true, rule: defaultRules[attribute] };
}

export function CheckEditor({
  providers,
  existing,
  providerId,
  onDone,
}: {
  providers: PostureProviderConfig[];
  existing?: PostureCheck;
  providerId?: string;
  onDone: () => void;
}) {
  const save = useSaveCheck();
  const { control, formState, setError, setValue, handleSubmit, register } = useForm<CheckFormValues>({
    resolver: zodResolver(PostureCheckInput),
    mode: 'onChange',
    defaultValues: startingValues(providers, existing, providerId),
  });
  const values = useWatch({ control });
  const provider = providers.find((p) => p.id === values.providerId);
  const attribute = (values.rule?.attribute ?? 'overall') as PostureAttribute;
  const errors = formState.errors;

  // The name does not change what a rule evaluates; a blank one should not hold the what-if back.
  const candidate = PostureCheckInput.safeParse({ ...values, name: values.name?.trim() ? values.name : 'Draft check' });
  const draftJson = candidate.success ? JSON.stringify(candidate.data) : null;
  const [debouncedJson] = useDebouncedValue(draftJson, 400);
  const draft = debouncedJson ? (JSON.parse(debouncedJson) as PostureCheckInput) : null;

  const chooseProvider = (id: string | null) => {
    const next = providers.find((p) => p.id === id);
    setValue('providerId', id ?? '', { shouldValidate: true, shouldDirty: true });
    // An attribute of the other provider kind cannot run here: start from this kind's first attribute.
    if (next && !attributeFits(attribute, next.kind)) setValue('rule', defaultRules[attributesOf(next.kind)[0]!], { shouldValidate: true, shouldDirty: true });
  };

  const submit = handleSubmit(async (input) => {
    try {
      await save.mutateAsync(input as PostureCheckInput);
      onDone();
    } catch (error) {
      if (!(error instanceof ContractError) || !error.issues) return;
      for (const issue of error.issues) {
        const field = fieldOf(issue.path);
        setError((field ?? 'root.server') as FieldPath<CheckFormValues>, { type: 'server', message: issue.message });
      }
    }
  });

  const serverProblem = errors.root?.server?.message;
  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 5 }}>
        <form onSubmit={submit} noValidate aria-label="Posture check">
          <Stack gap="sm">
            <Controller
              control={control}
              name="providerId"
              render={({ field }) => (
                <Select
                  ref={field.ref}
                  label="Provider"
                  description="Posture checks run on CrowdStrike ZTA and SentinelOne connections."
                  data={providers.map((p) => ({ value: p.id, label: p.name }))}
                  allowDeselect={false}
                  value={field.value || null}
                  onChange={chooseProvider}
                  error={errors.providerId?.message}
                  required
                />
              )}
            />
            <Controller
              control={control}
              name="rule.attribute"
              render={({ field }) => (
                <Select
                  ref={field.ref}
                  label="Attribute"
                  data={(provider ? attributesOf(provider.kind) : []).map((a) => ({ value: a, label: postureAttributes[a].label }))}
                  allowDeselect={false}
                  disabled={!provider}
                  value={field.value}
                  onChange={(a) => a && setValue('rule', defaultRules[a as PostureAttribute], { shouldValidate: true, shouldDirty: true })}
                  error={errors.rule?.attribute?.message}
                  required
                />
              )}
            />
            <RuleFields
              control={control}
              errors={errors}
              attribute={attribute}
              sources={providers.filter((p) => p.id !== values.providerId).map((p) => ({ id: p.id, name: p.name }))}
            />
            <TextInput label="Name" description="Shown in the posture log and the exported CSV." required {...register('name')} error={errors.name?.message} />
            <Controller
              control={control}
              name="enabled"
              render={({ field }) => (
                <Switch label="Enabled (evaluated at every poll)" checked={field.value ?? true} onChange={(e) => field.onChange(e.currentTarget.checked)} />
              )}
            />
            {serverProblem && (
              <Alert color="red" role="alert">
                {serverProblem}
              </Alert>
            )}
            {save.isError && !(save.error instanceof ContractError && save.error.issues) && <ErrorNotice error={save.error} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={onDone}>
                Cancel
              </Button>
              <Button type="submit" loading={save.isPending}>
                {existing ? 'Save changes' : 'Save check'}
              </Button>
            </Group>
          </Stack>
        </form>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 7 }}>
        <WhatIfPanel draft={draft} incomplete={draftJson === null} typing={draftJson !== debouncedJson} providerName={provider?.name} />
      </Grid.Col>
    </Grid>
  );
}
