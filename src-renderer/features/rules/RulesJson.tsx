// The rule set in the StackFlow seed's `detection_rules` JSON: the draft as it would be exported, and a
// box that accepts the seed's JSON pasted as is — validated by the core, loaded into the draft on request.
import { Alert, Button, Code, CopyButton, Grid, Group, List, Loader, ScrollArea, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import type { RuleIssue, RuleSet } from '../../../src-shared/schemas/rules';
import { useImportRules, useRuleSetJson } from '../../api/rules';
import { ErrorNotice } from '../../app/ErrorNotice';

function Issues({ issues, label }: { issues: RuleIssue[]; label: string }) {
  return (
    <List size="sm" spacing={2} aria-label={label}>
      {issues.map((issue, i) => (
        <List.Item key={`${issue.path}-${i}`}>
          <Code>{issue.path}</Code> {issue.message}
          {issue.suggestion ? ` — ${issue.suggestion}` : ''}
        </List.Item>
      ))}
    </List>
  );
}

function ExportedJson({ draft }: { draft: RuleSet }) {
  const json = useRuleSetJson(draft);
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={3} size="h5">
          The draft as detection_rules JSON
        </Title>
        {json.data && (
          <CopyButton value={json.data.text}>
            {({ copied, copy }) => (
              <Button size="xs" variant="default" onClick={copy}>
                {copied ? 'Copied' : 'Copy JSON'}
              </Button>
            )}
          </CopyButton>
        )}
      </Group>
      {json.isPending && <Loader size="sm" aria-label="Writing the JSON" />}
      {json.isError && <ErrorNotice error={json.error} />}
      {json.data && (
        <ScrollArea.Autosize mah={480} type="auto">
          <Code block data-testid="rules-json-export" style={{ opacity: json.isPlaceholderData ? 0.6 : 1 }}>
            {json.data.text}
          </Code>
        </ScrollArea.Autosize>
      )}
      <Text size="xs" c="dimmed">
        Rule names and ids are this console&apos;s own and are not part of the seed format.
      </Text>
    </Stack>
  );
}

export function RulesJson({ draft, onLoad }: { draft: RuleSet; onLoad: (ruleSet: RuleSet) => void }) {
  const [text, setText] = useState('');
  const imported = useImportRules();
  const result = imported.data;
  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 6 }}>
        <ExportedJson draft={draft} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 6 }}>
        <Stack gap="xs">
          <Title order={3} size="h5">
            Import
          </Title>
          <Textarea
            label="Detection rules JSON"
            description='Paste {"detection_rules": [...]} as on the StackFlow page, or a bare list of rules.'
            autosize
            minRows={10}
            maxRows={24}
            spellCheck={false}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
            value={text}
            onChange={(e) => {
              setText(e.currentTarget.value);
              imported.reset();
            }}
          />
          <Group>
            <Button variant="default" onClick={() => imported.mutate(text)} loading={imported.isPending} disabled={text.trim() === ''}>
              Validate
            </Button>
            {result?.ok && <Button onClick={() => onLoad(result.ruleSet)}>Load {result.ruleSet.rules.length} rules into the draft</Button>}
          </Group>
          {imported.isError && <ErrorNotice error={imported.error} />}
          {result && !result.ok && (
            <Alert
              color="red"
              title={`The JSON has ${result.issues.length === 1 ? '1 problem' : `${result.issues.length} problems`}; nothing was loaded`}
              role="alert"
              data-testid="import-result"
            >
              <Issues issues={result.issues} label="Problems in the JSON" />
            </Alert>
          )}
          {result?.ok && (
            <Alert color="teal" title={`Valid: ${result.ruleSet.rules.length} rules`} data-testid="import-result">
              {result.warnings.length > 0 ? (
                <Issues issues={result.warnings} label="Warnings in the JSON" />
              ) : (
                <Text size="sm">No warnings. Loading replaces the draft; Save makes it live.</Text>
              )}
            </Alert>
          )}
        </Stack>
      </Grid.Col>
    </Grid>
  );
}
