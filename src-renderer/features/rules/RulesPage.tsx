// Detection Rules: the ordered rule set that routes Falcon alerts to incidents, edited as a local draft
// (list + fields + condition editor, or the seed's JSON), tried with Pull Recent Detections and Back-test
// before Save makes it live.
import { Alert, Badge, Button, Grid, Group, List, Loader, Paper, Stack, Tabs, Text, Title } from '@mantine/core';
import { IconCopy, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { DetectionRule, RuleSet } from '../../../src-shared/schemas/rules';
import { useRuleSet, useSaveRuleSet } from '../../api/rules';
import { ErrorNotice } from '../../app/ErrorNotice';
import { BackTestPanel } from './BackTestPanel';
import { DryRunPanel } from './DryRunPanel';
import { FieldReference } from './FieldReference';
import { nextRuleId, sameRuleSet, useRuleDraft } from './rule-draft';
import { ruleProblems } from './rule-issues';
import { RuleEditor } from './RuleEditor';
import { RuleList } from './RuleList';
import { RulesJson } from './RulesJson';

function SaveWarnings({ warnings }: { warnings: { path: string; message: string; suggestion?: string | undefined }[] }) {
  return (
    <Alert color="yellow" variant="light" title={`Saved, with ${warnings.length === 1 ? 'a warning' : `${warnings.length} warnings`}`}>
      <List size="sm">
        {warnings.map((w, i) => (
          <List.Item key={`${w.path}-${i}`}>
            {w.path}: {w.message}
            {w.suggestion ? ` — ${w.suggestion}` : ''}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

export function RulesPage() {
  const saved = useRuleSet();
  const save = useSaveRuleSet();
  const { draft, selectedId, setDraft, select, discard } = useRuleDraft(
    useShallow((s) => ({ draft: s.draft, selectedId: s.selectedId, setDraft: s.setDraft, select: s.select, discard: s.discard })),
  );
  const [tab, setTab] = useState<string | null>('rules');

  if (saved.isPending)
    return (
      <Stack>
        <Title order={2}>Detection Rules</Title>
        <Loader aria-label="Loading rules" />
      </Stack>
    );
  if (saved.isError)
    return (
      <Stack>
        <Title order={2}>Detection Rules</Title>
        <ErrorNotice error={saved.error} />
      </Stack>
    );

  const current = draft ?? saved.data;
  const dirty = draft !== null && !sameRuleSet(draft, saved.data);
  const { byRule, other } = ruleProblems(current, save.error);
  const valid = byRule.size === 0 && other.length === 0;
  const selectedIndex = Math.max(
    0,
    current.rules.findIndex((r) => r.id === selectedId),
  );
  const selected = current.rules[selectedIndex];

  const edit = (next: RuleSet) => {
    // Problems the last Save reported belong to the text it sent; a new edit makes them stale.
    save.reset();
    setDraft(next);
  };
  const editRules = (rules: DetectionRule[]) => edit({ rules });
  const add = () => {
    const id = nextRuleId(current.rules);
    editRules([...current.rules, { id, name: `Rule ${current.rules.length + 1}`, condition: '', action: 'log_only' }]);
    select(id);
  };
  const duplicate = (rule: DetectionRule) => {
    const id = nextRuleId(current.rules);
    const copy = { ...rule, id, name: `${rule.name} (copy)` };
    editRules(current.rules.toSpliced(selectedIndex + 1, 0, copy));
    select(id);
  };
  const remove = (rule: DetectionRule) => {
    editRules(current.rules.filter((r) => r.id !== rule.id));
    select(current.rules[selectedIndex + 1]?.id ?? current.rules[selectedIndex - 1]?.id ?? null);
  };

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={2}>Detection Rules</Title>
          <Text size="sm" c="dimmed">
            Each alert goes through the rules in order; the first whose condition matches decides.
          </Text>
        </Stack>
        <Group gap="xs">
          <Badge variant="light" color={dirty ? 'orange' : 'teal'} size="lg" data-testid="draft-state">
            {dirty ? 'Unsaved changes' : 'Saved'}
          </Badge>
          <Button
            variant="default"
            disabled={!dirty}
            onClick={() => {
              save.reset();
              discard();
            }}
          >
            Discard
          </Button>
          <Button disabled={!dirty} loading={save.isPending} onClick={() => save.mutate(current, { onSuccess: () => discard() })}>
            Save rules
          </Button>
        </Group>
      </Group>
      {save.isError && <ErrorNotice error={save.error} />}
      {other.length > 0 && (
        <Alert color="red" role="alert">
          {other.join(' ')}
        </Alert>
      )}
      {save.data && !dirty && save.data.warnings.length > 0 && <SaveWarnings warnings={save.data.warnings} />}

      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="rules">Rules</Tabs.Tab>
          <Tabs.Tab value="json">JSON</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="rules" pt="md">
          <Grid gap="md">
            <Grid.Col span={{ base: 12, md: 4 }}>
              <Stack gap="xs">
                <RuleList rules={current.rules} selectedId={selected?.id ?? null} problems={byRule} onSelect={select} onReorder={editRules} />
                {current.rules.length === 0 && (
                  <Paper withBorder p="md">
                    <Text size="sm">No rules: every alert would match nothing and be recorded as unmatched.</Text>
                  </Paper>
                )}
                <Group gap="xs">
                  <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={add}>
                    Add rule
                  </Button>
                  {selected && (
                    <>
                      <Button
                        size="xs"
                        variant="default"
                        leftSection={<IconCopy size={14} />}
                        onClick={() => duplicate(selected)}
                        aria-label={`Duplicate ${selected.name}`}
                      >
                        Duplicate
                      </Button>
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        leftSection={<IconTrash size={14} />}
                        onClick={() => remove(selected)}
                        aria-label={`Delete ${selected.name}`}
                      >
                        Delete
                      </Button>
                    </>
                  )}
                </Group>
                <Text size="xs" c="dimmed">
                  Reorder: drag the handle, or Alt+↑ / Alt+↓ on a rule. Changes stay in the draft until Save.
                </Text>
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 8 }}>
              <Stack gap="md">
                {selected ? (
                  <Paper withBorder p="md">
                    <RuleEditor
                      key={selected.id}
                      rule={selected}
                      position={selectedIndex + 1}
                      problems={byRule.get(selectedIndex) ?? {}}
                      onChange={(rule) => editRules(current.rules.map((r, i) => (i === selectedIndex ? rule : r)))}
                    />
                  </Paper>
                ) : (
                  <Paper withBorder p="md">
                    <Text size="sm">Add a rule to edit it here.</Text>
                  </Paper>
                )}
                <FieldReference />
              </Stack>
            </Grid.Col>
          </Grid>
        </Tabs.Panel>
        <Tabs.Panel value="json" pt="md">
          <RulesJson
            draft={current}
            onLoad={(ruleSet) => {
              edit(ruleSet);
              select(ruleSet.rules[0]?.id ?? null);
              setTab('rules');
            }}
          />
        </Tabs.Panel>
      </Tabs>

      <DryRunPanel ruleSet={current} valid={valid} />
      <BackTestPanel draft={current} saved={saved.data} valid={valid} />
    </Stack>
  );
}
