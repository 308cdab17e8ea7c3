// The risk behaviors: each on or off with its risk level, the alert threshold, the watched check and how long it must
// fail, and how long events count. Saving re-evaluates every user at once.
import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, Group, NumberInput, Paper, Select, SimpleGrid, Stack, Switch, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { Controller, useForm, useWatch, type Control, type FieldPath } from 'react-hook-form';
import { ContractError } from '../../../src-shared/contract-error';
import { RiskBehaviors, RiskLevel, behaviorLabels, type BehaviorId } from '../../../src-shared/schemas/users';
import { useChecks } from '../../api/posture';
import { useSaveRiskBehaviors } from '../../api/users';
import { ErrorNotice } from '../../app/ErrorNotice';
import { levelLook } from './describe';

const levelOptions = RiskLevel.options.map((l) => ({ value: l, label: levelLook[l].word }));

const what: Record<BehaviorId, string> = {
  s1_threat: 'A SentinelOne agent on the device reports it is infected, or has more than 0 active threats.',
  falcon_alert: 'Falcon raises an alert on the device (or for the user) at or above the severity below.',
  posture_check_failing: 'The device has been failing the chosen posture check for longer than the time below.',
};

const UNITS = [
  { value: '1', label: 'minutes' },
  { value: '60', label: 'hours' },
  { value: '1440', label: 'days' },
];

/** The largest unit that divides the minutes, so 1440 reads as 1 day. */
const unitOf = (minutes: number) => [...UNITS].reverse().find((u) => minutes % Number(u.value) === 0)?.value ?? '1';

function Behavior({ id, control, children }: { id: BehaviorId; control: Control<RiskBehaviors>; children?: ReactNode }) {
  return (
    <Paper withBorder p="sm" role="group" aria-label={behaviorLabels[id]}>
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Controller
            control={control}
            name={`${id}.enabled`}
            render={({ field }) => (
              <Switch label={behaviorLabels[id]} description={what[id]} checked={field.value} onChange={(e) => field.onChange(e.currentTarget.checked)} />
            )}
          />
          <Controller
            control={control}
            name={`${id}.level`}
            render={({ field, fieldState }) => (
              <Select
                label="Risk level"
                data={levelOptions}
                allowDeselect={false}
                value={field.value}
                onChange={field.onChange}
                error={fieldState.error?.message}
                w={130}
              />
            )}
          />
        </Group>
        {children}
      </Stack>
    </Paper>
  );
}

function DurationInput({ control }: { control: Control<RiskBehaviors> }) {
  const minutes = useWatch({ control, name: 'posture_check_failing.minutes' });
  const [unit, setUnit] = useState(() => unitOf(typeof minutes === 'number' ? minutes : 1440));
  return (
    <Controller
      control={control}
      name="posture_check_failing.minutes"
      render={({ field, fieldState }) => (
        <Group gap="xs" align="flex-start" wrap="nowrap">
          <NumberInput
            label="Failing for longer than"
            min={1}
            allowDecimal={false}
            clampBehavior="none"
            value={typeof field.value === 'number' ? field.value / Number(unit) : field.value}
            onChange={(v) => field.onChange(typeof v === 'number' ? v * Number(unit) : v)}
            onBlur={field.onBlur}
            error={fieldState.error?.message}
            w={190}
          />
          <Select
            label="Unit"
            data={UNITS}
            allowDeselect={false}
            value={unit}
            onChange={(next) => {
              if (!next) return;
              // Keeps the number the admin typed and changes what it means: "2" hours becomes "2" days.
              if (typeof field.value === 'number') field.onChange((field.value / Number(unit)) * Number(next));
              setUnit(next);
            }}
            w={120}
          />
        </Group>
      )}
    />
  );
}

export function BehaviorsForm({ behaviors, onDone }: { behaviors: RiskBehaviors; onDone: () => void }) {
  const save = useSaveRiskBehaviors();
  const checks = useChecks();
  const { control, handleSubmit, setError, formState } = useForm<RiskBehaviors>({
    resolver: zodResolver(RiskBehaviors),
    mode: 'onChange',
    defaultValues: behaviors,
  });

  const submit = handleSubmit(async (input) => {
    try {
      await save.mutateAsync(input);
      onDone();
    } catch (error) {
      if (!(error instanceof ContractError)) return;
      for (const issue of error.issues ?? []) setError(issue.path as FieldPath<RiskBehaviors>, { type: 'server', message: issue.message });
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-label="Risk behaviors">
      <Stack gap="sm">
        <Behavior id="s1_threat" control={control} />
        <Behavior id="falcon_alert" control={control}>
          <Controller
            control={control}
            name="falcon_alert.minSeverity"
            render={({ field, fieldState }) => (
              <NumberInput
                label="Minimum severity (1–100)"
                min={1}
                max={100}
                allowDecimal={false}
                clampBehavior="none"
                value={field.value}
                onChange={field.onChange}
                onBlur={field.onBlur}
                error={fieldState.error?.message}
                w={220}
              />
            )}
          />
        </Behavior>
        <Behavior id="posture_check_failing" control={control}>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <Controller
              control={control}
              name="posture_check_failing.checkId"
              render={({ field, fieldState }) => (
                <Select
                  label="Posture check"
                  placeholder={checks.data?.length ? 'Choose a check' : 'No posture check saved yet'}
                  data={(checks.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
                  value={field.value}
                  onChange={field.onChange}
                  error={fieldState.error?.message}
                  clearable
                />
              )}
            />
            <DurationInput control={control} />
          </SimpleGrid>
        </Behavior>
        <Paper withBorder p="sm">
          <Controller
            control={control}
            name="windowDays"
            render={({ field, fieldState }) => (
              <NumberInput
                label="Events count for (days)"
                description="After its condition was last observed, an event stops counting toward the user's level."
                min={1}
                max={90}
                allowDecimal={false}
                clampBehavior="none"
                value={field.value}
                onChange={field.onChange}
                onBlur={field.onBlur}
                error={fieldState.error?.message}
                w={320}
              />
            )}
          />
        </Paper>
        <Text size="xs" c="dimmed">
          A user&apos;s level is the highest level among their events that count. Saving applies to existing events too.
        </Text>
        {save.isError && !(save.error instanceof ContractError && save.error.issues) && <ErrorNotice error={save.error} />}
        {formState.errors.root?.message && (
          <Alert color="red" role="alert">
            {formState.errors.root.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            Save behaviors
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
