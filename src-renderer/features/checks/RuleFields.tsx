// The operator / value rows that fit the chosen attribute: a score, a version, accepted states, a "seen within" bucket, yes/no.
import { Checkbox, Group, NumberInput, Radio, Select, SimpleGrid, TextInput } from '@mantine/core';
import { Controller, get, type Control, type FieldErrors } from 'react-hook-form';
import type { z } from 'zod';
import {
  LastSeenBucket,
  OnlineState,
  S1NetworkStatus,
  S1OperationalState,
  postureAttributes,
  type PostureAttribute,
  type PostureCheckInput,
} from '../../../src-shared/schemas/posture';
import { compareOperatorLabels, lastSeenLabels, networkStatusLabels, onlineStateLabels, operationalStateLabels, versionOperatorLabels } from './ruleText';

export type CheckFormValues = z.input<typeof PostureCheckInput>;

type Props = {
  control: Control<CheckFormValues>;
  errors: FieldErrors<CheckFormValues>;
  attribute: PostureAttribute;
  /** The other posture sources, for a presence check. */
  sources?: { id: string; name: string }[];
};

const errorAt = (errors: FieldErrors<CheckFormValues>, path: string): string | undefined => (get(errors, path) as { message?: string } | undefined)?.message;
const options = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));

function OperatorSelect({ control, errors, labels }: Omit<Props, 'attribute' | 'sources'> & { labels: Record<string, string> }) {
  return (
    <Controller
      control={control}
      name="rule.operator"
      render={({ field }) => (
        <Select
          ref={field.ref}
          label="Operator"
          data={options(labels)}
          allowDeselect={false}
          value={field.value as string}
          onChange={field.onChange}
          onBlur={field.onBlur}
          error={errorAt(errors, 'rule.operator')}
        />
      )}
    />
  );
}

function AcceptedValues({ control, errors, label, labels }: Omit<Props, 'attribute' | 'sources'> & { label: string; labels: Record<string, string> }) {
  return (
    <Controller
      control={control}
      name="rule.accepted"
      render={({ field }) => (
        <Checkbox.Group
          label={label}
          description="A device passes when its value is one of those ticked."
          value={(field.value as string[] | undefined) ?? []}
          onChange={field.onChange}
          error={errorAt(errors, 'rule.accepted')}
        >
          <Group gap="md" mt={6}>
            {Object.entries(labels).map(([value, text]) => (
              <Checkbox key={value} value={value} label={text} />
            ))}
          </Group>
        </Checkbox.Group>
      )}
    />
  );
}

function ExpectedYesNo({ control, errors, label }: Omit<Props, 'attribute' | 'sources'> & { label: string }) {
  return (
    <Controller
      control={control}
      name="rule.expected"
      render={({ field }) => (
        <Radio.Group
          label={label}
          value={field.value === undefined ? '' : String(field.value)}
          onChange={(v) => field.onChange(v === 'true')}
          error={errorAt(errors, 'rule.expected')}
        >
          <Group gap="md" mt={6}>
            <Radio value="false" label="No" />
            <Radio value="true" label="Yes" />
          </Group>
        </Radio.Group>
      )}
    />
  );
}

export function RuleFields({ control, errors, attribute, sources = [] }: Props) {
  const label = postureAttributes[attribute].label;
  switch (attribute) {
    case 'overall':
    case 'os':
    case 'sensor_config':
    case 'active_threats': {
      const score = attribute !== 'active_threats';
      return (
        <SimpleGrid cols={2} spacing="sm">
          <OperatorSelect control={control} errors={errors} labels={compareOperatorLabels} />
          <Controller
            control={control}
            name="rule.value"
            render={({ field }) => (
              <NumberInput
                ref={field.ref}
                label={score ? `${label} (1–100)` : 'Number of active threats'}
                min={score ? 1 : 0}
                max={score ? 100 : 10_000}
                clampBehavior="none"
                allowDecimal={false}
                value={field.value as number | string}
                onChange={field.onChange}
                onBlur={field.onBlur}
                error={errorAt(errors, 'rule.value')}
              />
            )}
          />
        </SimpleGrid>
      );
    }
    case 'version':
      return (
        <SimpleGrid cols={2} spacing="sm">
          <OperatorSelect control={control} errors={errors} labels={versionOperatorLabels} />
          <Controller
            control={control}
            name="rule.value"
            render={({ field }) => (
              <TextInput
                ref={field.ref}
                label="ZTA score version"
                placeholder="2.1.0"
                ff="monospace"
                value={(field.value as string | undefined) ?? ''}
                onChange={(e) => field.onChange(e.currentTarget.value)}
                onBlur={field.onBlur}
                error={errorAt(errors, 'rule.value')}
              />
            )}
          />
        </SimpleGrid>
      );
    case 'state':
      return <AcceptedValues control={control} errors={errors} label="Accepted states" labels={pick(OnlineState.options, onlineStateLabels)} />;
    case 'network_status':
      return <AcceptedValues control={control} errors={errors} label="Accepted network statuses" labels={pick(S1NetworkStatus.options, networkStatusLabels)} />;
    case 'operational_state':
      return (
        <AcceptedValues
          control={control}
          errors={errors}
          label="Accepted operational states"
          labels={pick(S1OperationalState.options, operationalStateLabels)}
        />
      );
    case 'last_seen':
      return (
        <Controller
          control={control}
          name="rule.within"
          render={({ field }) => (
            <Select
              ref={field.ref}
              label="Seen within"
              description="Falcon reports last seen only for online or unknown hosts."
              data={LastSeenBucket.options.map((b) => ({ value: b, label: lastSeenLabels[b] }))}
              allowDeselect={false}
              value={field.value as string}
              onChange={field.onChange}
              error={errorAt(errors, 'rule.within')}
            />
          )}
        />
      );
    case 'infected':
      return <ExpectedYesNo control={control} errors={errors} label="Passes when Infected is" />;
    case 'is_active':
      return <ExpectedYesNo control={control} errors={errors} label="Passes when Is active (SentinelOne agent running) is" />;
    case 'present_in':
      return (
        <Controller
          control={control}
          name="rule.sourceId"
          render={({ field }) => (
            <Select
              ref={field.ref}
              label="Source the device must also be in"
              description="Passes when a record of that source has the device's serial (an MDM enrollment, an EDR sensor); a MAC or hostname link alone is unknown."
              placeholder={sources.length ? 'Choose a source' : 'No other posture source yet'}
              data={sources.map((s) => ({ value: s.id, label: s.name }))}
              allowDeselect={false}
              value={(field.value as string | undefined) || null}
              onChange={(v) => field.onChange(v ?? '')}
              error={errorAt(errors, 'rule.sourceId')}
              required
            />
          )}
        />
      );
    default:
      return <SpecFields control={control} errors={errors} attribute={attribute} />;
  }
}

/** The rows of an attribute described as data (newer sources), by its rule shape. */
function SpecFields({ control, errors, attribute }: Props) {
  const spec = postureAttributes[attribute].spec;
  if (!spec) return null;
  switch (spec.shape) {
    case 'accepted':
      return <AcceptedValues control={control} errors={errors} label={`Accepted ${spec.label.toLowerCase()} values`} labels={{ ...spec.valueLabels }} />;
    case 'boolean':
      return <ExpectedYesNo control={control} errors={errors} label={spec.question} />;
    case 'version':
      return (
        <SimpleGrid cols={2} spacing="sm">
          <OperatorSelect control={control} errors={errors} labels={versionOperatorLabels} />
          <Controller
            control={control}
            name="rule.value"
            render={({ field }) => (
              <TextInput
                ref={field.ref}
                label={spec.label}
                placeholder={spec.placeholder}
                ff="monospace"
                value={(field.value as string | undefined) ?? ''}
                onChange={(e) => field.onChange(e.currentTarget.value)}
                onBlur={field.onBlur}
                error={errorAt(errors, 'rule.value')}
              />
            )}
          />
        </SimpleGrid>
      );
    case 'within':
      return (
        <Controller
          control={control}
          name="rule.within"
          render={({ field }) => (
            <Select
              ref={field.ref}
              label={`${spec.label} within`}
              description={spec.description}
              data={LastSeenBucket.options.map((b) => ({ value: b, label: lastSeenLabels[b] }))}
              allowDeselect={false}
              value={field.value as string}
              onChange={field.onChange}
              error={errorAt(errors, 'rule.within')}
            />
          )}
        />
      );
    case 'names':
      return (
        <Controller
          control={control}
          name="rule.accepted"
          render={({ field }) => (
            <TextInput
              ref={field.ref}
              label={spec.label}
              description={spec.description}
              placeholder={spec.placeholder}
              value={((field.value as string[] | undefined) ?? []).join(', ')}
              onChange={(e) =>
                field.onChange(
                  e.currentTarget.value
                    .split(',')
                    .map((v) => v.trimStart())
                    .filter((v, i, all) => v !== '' || i === all.length - 1),
                )
              }
              onBlur={() => {
                field.onChange(((field.value as string[] | undefined) ?? []).map((v) => v.trim()).filter(Boolean));
                field.onBlur();
              }}
              error={errorAt(errors, 'rule.accepted')}
            />
          )}
        />
      );
    case 'number':
      return (
        <SimpleGrid cols={2} spacing="sm">
          <OperatorSelect control={control} errors={errors} labels={compareOperatorLabels} />
          <Controller
            control={control}
            name="rule.value"
            render={({ field }) => (
              <NumberInput
                ref={field.ref}
                label={`${spec.label} (${spec.min}-${spec.max})`}
                min={spec.min}
                max={spec.max}
                allowDecimal={false}
                value={field.value as number}
                onChange={(v) => field.onChange(typeof v === 'number' ? v : Number.NaN)}
                onBlur={field.onBlur}
                error={errorAt(errors, 'rule.value')}
              />
            )}
          />
        </SimpleGrid>
      );
    case 'keyed':
      return (
        <SimpleGrid cols={3} spacing="sm">
          <Controller
            control={control}
            name={'rule.key' as 'rule.value'}
            render={({ field }) => (
              <TextInput
                ref={field.ref}
                label="Attribute name"
                placeholder={spec.placeholder}
                ff="monospace"
                value={(field.value as unknown as string | undefined) ?? ''}
                onChange={(e) => field.onChange(e.currentTarget.value)}
                onBlur={field.onBlur}
                error={errorAt(errors, 'rule.key')}
              />
            )}
          />
          <OperatorSelect control={control} errors={errors} labels={keyedOperatorLabels} />
          <Controller
            control={control}
            name="rule.value"
            render={({ field }) => (
              <TextInput
                ref={field.ref}
                label="Value"
                description="true, false, a number, or text"
                ff="monospace"
                value={field.value === undefined ? '' : String(field.value)}
                onChange={(e) => field.onChange(typedValue(e.currentTarget.value))}
                onBlur={field.onBlur}
                error={errorAt(errors, 'rule.value')}
              />
            )}
          />
        </SimpleGrid>
      );
  }
}

const keyedOperatorLabels = { '==': '== equals', '!=': '!= differs from', '>=': '>= at least', '>': '> more than', '<=': '<= at most', '<': '< less than' };

/** What the admin typed, as the endpoint would send it: true/false and numbers as such, anything else as text. */
function typedValue(text: string): string | number | boolean {
  const t = text.trim();
  if (t === 'true') return true;
  if (t === 'false') return false;
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : text;
}

/** Labels in the schema's own order. */
function pick<T extends string>(order: readonly T[], labels: Record<T, string>): Record<string, string> {
  return Object.fromEntries(order.map((v) => [v, labels[v]]));
}
