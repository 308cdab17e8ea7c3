// The condition of one rule in CodeMirror: highlighted, completed and checked by the core as you type,
// with the problems also listed beneath (readable without hovering) and a one-click fix where there is one.
import { Badge, Button, Group, List, Stack, Text, useComputedColorScheme } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import CodeMirror from '@uiw/react-codemirror';
import type { RuleDiagnostic } from '../../../src-shared/schemas/rules';
import { useConditionCheck } from '../../api/rules';
import { ErrorNotice } from '../../app/ErrorNotice';
import { conditionDarkTheme, conditionHighlight } from './condition-highlight';
import { applyReplacement, conditionExtensions, diagnosticText } from './condition-language';

const base = conditionExtensions('Condition');
const extensionsFor = { light: [...base, conditionHighlight('light')], dark: [...base, conditionHighlight('dark')] };

const setup = {
  lineNumbers: false,
  foldGutter: false,
  highlightActiveLine: false,
  highlightActiveLineGutter: false,
  // Completion comes from the core through our own source (condition-language.ts).
  autocompletion: false,
  searchKeymap: false,
};

function Problems({
  condition,
  diagnostics,
  stale,
  onFix,
}: {
  condition: string;
  diagnostics: RuleDiagnostic[];
  stale: boolean;
  onFix: (next: string) => void;
}) {
  if (diagnostics.length === 0)
    return (
      <Text size="sm" c="teal" data-testid="condition-ok">
        No problems found.
      </Text>
    );
  return (
    <List spacing={4} listStyleType="none" aria-label="Problems in the condition" data-testid="condition-problems">
      {diagnostics.map((d) => (
        <List.Item key={`${d.from}-${d.to}-${d.code}-${d.message}`}>
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Badge size="sm" variant="light" color={d.severity === 'error' ? 'red' : 'yellow'} style={{ flexShrink: 0 }}>
              {d.severity === 'error' ? 'Error' : 'Warning'}
            </Badge>
            <Text size="sm">
              <Text span size="xs" c="dimmed">
                Line {d.line}, column {d.column}:{' '}
              </Text>
              {diagnosticText(d)}
            </Text>
            {d.replacement !== undefined && (
              <Button size="compact-xs" variant="light" disabled={stale} onClick={() => onFix(applyReplacement(condition, d))} style={{ flexShrink: 0 }}>
                Replace with {d.replacement}
              </Button>
            )}
          </Group>
        </List.Item>
      ))}
    </List>
  );
}

export function ConditionEditor({ value, onChange, error }: { value: string; onChange: (next: string) => void; error?: string | undefined }) {
  const scheme = useComputedColorScheme('light');
  const [checked] = useDebouncedValue(value, 150);
  const check = useConditionCheck(checked);
  // Positions belong to the text that was checked; until the check catches up, nothing may be fixed.
  const stale = checked !== value || check.isPlaceholderData;
  return (
    <Stack gap={6}>
      <div>
        <Text component="span" size="sm" fw={500}>
          Condition
        </Text>{' '}
        <Text component="span" size="xs" c="dimmed">
          e.g. severity &gt;= 80 OR tactic IN (&apos;Execution&apos;, &apos;Impact&apos;) · Ctrl+Space completes
        </Text>
      </div>
      <div
        data-testid="condition-editor"
        style={{ border: `1px solid ${error ? 'var(--mantine-color-error)' : 'var(--mantine-color-default-border)'}`, borderRadius: 4, overflow: 'hidden' }}
      >
        <CodeMirror
          value={value}
          onChange={onChange}
          extensions={extensionsFor[scheme]}
          basicSetup={setup}
          theme={scheme === 'dark' ? conditionDarkTheme : 'light'}
          minHeight="56px"
          maxHeight="240px"
        />
      </div>
      {error && (
        <Text size="xs" c="red">
          {error}
        </Text>
      )}
      {check.isError && <ErrorNotice error={check.error} />}
      {check.data && (
        <div aria-live="polite" aria-busy={stale} data-stale={stale} style={{ opacity: stale ? 0.6 : 1 }}>
          <Problems condition={value} diagnostics={check.data.diagnostics} stale={stale} onFix={onChange} />
        </div>
      )}
    </Stack>
  );
}
