// The filters above the log: time range, view, providers, checks, results and the device search.
import { Chip, CloseButton, ComboboxChevron, Group, Input, MultiSelect, rem, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useId, type CSSProperties } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { LogView, PostureResult } from '../../../src-shared/schemas/posture-log';
import { logViews, postureResults } from '../../../src-shared/schemas/posture-log-values';
import type { PostureCheck } from '../../../src-shared/schemas/posture';
import { rangePresets, usePostureLogFilters, type RangePreset } from '../../state/posture-log-filters';
import { resultLabel, toLocalInput, viewLabel } from './describe';
import { useAfterFirstPaint } from '../../app/after-first-paint';
import { ViewSwitch } from './ViewSwitch';

const rangeOptions = Object.entries(rangePresets).map(([value, { label }]) => ({ value, label }));

export interface FilterChoices {
  providers: { id: string; name: string }[];
  checks: PostureCheck[];
  /** Shown under "To" when the custom range runs backwards. */
  rangeError: string | null;
}

const fieldClasses = Input.classes;
const fieldVars = {
  '--input-height': 'var(--input-height-sm)',
  '--input-fz': 'var(--mantine-font-size-sm)',
  '--input-right-section-pointer-events': 'none',
} as CSSProperties;

/**
 * A Select's or MultiSelect's label and box as Mantine renders them (its classes and variables, the same size), in
 * plain elements: the first frame with rows shows this, and the control (a combobox with its floating dropdown, a
 * few dozen components) replaces it once that frame has painted.
 */
function StaticField({ label, text, placeholder, w }: { label: string; text: string; placeholder?: string; w: number }) {
  const id = useId();
  return (
    <div className={`${fieldClasses.root} mantine-InputWrapper-root`} data-size="sm" style={{ width: rem(w) }}>
      <label
        className={`${fieldClasses.label} mantine-InputWrapper-label`}
        data-size="sm"
        htmlFor={id}
        style={{ '--input-label-size': 'var(--mantine-font-size-sm)' } as CSSProperties}
      >
        {label}
      </label>
      <div className={`${fieldClasses.wrapper} mantine-Input-wrapper`} data-variant="default" data-size="sm" data-with-right-section style={fieldVars}>
        <input className={`${fieldClasses.input} mantine-Input-input`} data-variant="default" readOnly id={id} value={text} placeholder={placeholder} />
        <div data-position="right" className={`${fieldClasses.section} mantine-Input-section`}>
          <ComboboxChevron size="sm" />
        </div>
      </div>
    </div>
  );
}

function TimeRange({ rangeError }: { rangeError: string | null }) {
  const painted = useAfterFirstPaint();
  const { range, customFrom, customTo, setRange, setCustom } = usePostureLogFilters(
    useShallow((s) => ({ range: s.range, customFrom: s.customFrom, customTo: s.customTo, setRange: s.setRange, setCustom: s.setCustom })),
  );
  return (
    <>
      {!painted ? (
        <StaticField label="Time range" text={rangePresets[range].label} w={150} />
      ) : (
        <Select
          label="Time range"
          data={rangeOptions}
          value={range}
          allowDeselect={false}
          w={150}
          onChange={(value) => {
            if (!value) return;
            // Custom starts from a useful window rather than two empty boxes.
            if (value === 'custom' && !customFrom) setCustom({ from: toLocalInput(Date.now() - 86_400_000) });
            setRange(value as RangePreset);
          }}
        />
      )}
      {range === 'custom' && (
        <>
          <TextInput type="datetime-local" label="From" value={customFrom} onChange={(e) => setCustom({ from: e.currentTarget.value })} w={200} />
          <TextInput
            type="datetime-local"
            label="To"
            value={customTo}
            onChange={(e) => setCustom({ to: e.currentTarget.value })}
            error={rangeError}
            w={200}
            description={customTo ? undefined : 'Empty: up to now'}
          />
        </>
      )}
    </>
  );
}

function ViewChoice() {
  const labelId = useId();
  const { view, setView } = usePostureLogFilters(useShallow((s) => ({ view: s.view, setView: s.setView })));
  return (
    <Stack gap={4}>
      <Text id={labelId} size="sm" fw={500}>
        View
      </Text>
      <ViewSwitch<LogView>
        labelledBy={labelId}
        value={view}
        onChange={setView}
        data={logViews.map((v) => ({ value: v, label: viewLabel[v].label }))}
        title={viewLabel[view].hint}
      />
    </Stack>
  );
}

function ResultChoice() {
  const labelId = useId();
  const { results, setResults } = usePostureLogFilters(useShallow((s) => ({ results: s.results, setResults: s.setResults })));
  return (
    <Stack gap={4}>
      <Text id={labelId} size="sm" fw={500}>
        Result
      </Text>
      <Group gap={6} role="group" aria-labelledby={labelId} h={36} align="center">
        <Chip.Group multiple value={results} onChange={(value) => setResults(value as PostureResult[])}>
          {postureResults.map((r) => (
            <Chip key={r} value={r} size="sm" color={resultLabel[r].color} variant="light">
              {resultLabel[r].label}
            </Chip>
          ))}
        </Chip.Group>
      </Group>
    </Stack>
  );
}

function Search() {
  const { text, setText } = usePostureLogFilters(useShallow((s) => ({ text: s.text, setText: s.setText })));
  return (
    <TextInput
      label="Search"
      placeholder="Device name or serial"
      value={text}
      maxLength={200}
      w={220}
      leftSection={<IconSearch size={16} aria-hidden />}
      rightSection={text ? <CloseButton size="sm" aria-label="Clear search" onClick={() => setText('')} /> : null}
      onChange={(e) => setText(e.currentTarget.value)}
    />
  );
}

/** The chosen options' labels, as the static field shows them before the MultiSelect's pills. */
function labelsOf(ids: string[], options: { value: string; label: string }[]): string {
  return ids.map((id) => options.find((o) => o.value === id)?.label ?? id).join(', ');
}

export function LogFilterBar({ providers, checks, rangeError }: FilterChoices) {
  const painted = useAfterFirstPaint();
  const { providerIds, checkIds, setProviderIds, setCheckIds } = usePostureLogFilters(
    useShallow((s) => ({ providerIds: s.providerIds, checkIds: s.checkIds, setProviderIds: s.setProviderIds, setCheckIds: s.setCheckIds })),
  );
  const names = new Map(providers.map((p) => [p.id, p.name]));
  // Checks grouped by provider, and only the chosen providers' checks once providers are chosen.
  const checkGroups = providers
    .filter((p) => providerIds.length === 0 || providerIds.includes(p.id))
    .map((p) => ({ group: p.name, items: checks.filter((c) => c.providerId === p.id).map((c) => ({ value: c.id, label: c.name })) }))
    .filter((g) => g.items.length > 0);
  // A deep-linked id the lists do not know (a removed provider) still shows, rather than vanishing silently.
  const providerData = [
    ...providers.map((p) => ({ value: p.id, label: p.name })),
    ...providerIds.filter((id) => !names.has(id)).map((id) => ({ value: id, label: `Unknown provider ${id.slice(0, 8)}` })),
  ];
  const knownChecks = new Set(checkGroups.flatMap((g) => g.items.map((i) => i.value)));
  const strayChecks = checkIds
    .filter((id) => !knownChecks.has(id))
    .map((id) => ({
      value: id,
      label: checks.find((c) => c.id === id)?.name ?? `Unknown check ${id.slice(0, 8)}`,
    }));
  return (
    <Group gap="sm" align="flex-end" wrap="wrap" role="search" aria-label="Filter the posture log">
      <TimeRange rangeError={rangeError} />
      <ViewChoice />
      {!painted ? (
        <>
          <StaticField label="Provider" text={labelsOf(providerIds, providerData)} placeholder="All providers" w={230} />
          <StaticField label="Check" text={labelsOf(checkIds, [...checkGroups.flatMap((g) => g.items), ...strayChecks])} placeholder="All checks" w={260} />
        </>
      ) : (
        <>
          <MultiSelect
            label="Provider"
            placeholder={providerIds.length ? undefined : 'All providers'}
            data={providerData}
            value={providerIds}
            onChange={setProviderIds}
            clearable
            w={230}
            maxDropdownHeight={280}
          />
          <MultiSelect
            label="Check"
            placeholder={checkIds.length ? undefined : 'All checks'}
            data={strayChecks.length ? [...checkGroups, { group: 'Other', items: strayChecks }] : checkGroups}
            value={checkIds}
            onChange={setCheckIds}
            clearable
            searchable
            w={260}
            maxDropdownHeight={320}
            nothingFoundMessage="No such check"
          />
        </>
      )}
      <ResultChoice />
      <Search />
    </Group>
  );
}
