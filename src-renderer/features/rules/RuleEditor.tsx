// The selected rule's fields and its condition. Every change goes straight into the draft; nothing is saved here.
import { Alert, Anchor, Grid, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { Link } from 'react-router';
import { RuleAction, RulePriority, type DetectionRule } from '../../../src-shared/schemas/rules';
import { useContainmentSettings } from '../../api/incidents';
import { ConditionEditor } from './ConditionEditor';

const actionOptions = [
  { value: 'create_incident', label: 'Create incident' },
  { value: 'log_only', label: 'Log only' },
];

/** Schema messages are written to follow a path ("is required…"); under a labelled field they start the sentence. */
const sentence = (message: string | undefined) => message && message.charAt(0).toUpperCase() + message.slice(1);

/** Empty text means "not set": the schema refuses empty strings for optional fields. */
const optional = (value: string) => (value.trim() === '' ? undefined : value);

function AutoContainNote({ on }: { on: boolean }) {
  const settings = useContainmentSettings();
  const global = settings.data?.autoContainEnabled;
  return (
    <Text size="xs" c={on && global === false ? 'orange.8' : 'dimmed'}>
      Contains the alert&apos;s host (network isolation) when the incident is created — only while the global safety switch is also on
      {global === undefined ? '' : global ? ' (it is on)' : ' (it is off, so this rule will not contain anything)'}. The switch is in{' '}
      <Anchor component={Link} to="/iocs#response-settings" size="xs">
        IOCs → Response settings
      </Anchor>
      .
    </Text>
  );
}

export function RuleEditor({
  rule,
  position,
  problems,
  onChange,
}: {
  rule: DetectionRule;
  position: number;
  problems: Record<string, string>;
  onChange: (rule: DetectionRule) => void;
}) {
  const set = (patch: Partial<DetectionRule>) => onChange({ ...rule, ...patch });
  const creates = rule.action === 'create_incident';
  const chooseAction = (value: string | null) => {
    const action = RuleAction.parse(value);
    // Incident settings do nothing for log_only (the core warns about them), so they go with the action.
    if (action === 'log_only') {
      const { priority: _p, assignment_group: _g, category: _c, auto_contain_host: _a, ...rest } = rule;
      onChange({ ...rest, action });
    } else set({ action });
  };
  return (
    <Stack gap="sm" component="section" aria-label={`Rule ${position}: ${rule.name}`}>
      <Grid gap="sm">
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput label="Name" required value={rule.name} onChange={(e) => set({ name: e.currentTarget.value })} error={sentence(problems.name)} />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 3 }}>
          <Select
            label="Action"
            required
            data={actionOptions}
            allowDeselect={false}
            value={rule.action}
            onChange={chooseAction}
            error={sentence(problems.action)}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 3 }}>
          <Select
            label="Priority"
            required={creates}
            disabled={!creates}
            placeholder={creates ? 'Choose' : 'Not used'}
            data={RulePriority.options}
            value={creates ? (rule.priority ?? null) : null}
            onChange={(value) => set({ priority: value ? RulePriority.parse(value) : undefined })}
            error={sentence(problems.priority)}
          />
        </Grid.Col>
      </Grid>
      <ConditionEditor value={rule.condition} onChange={(condition) => set({ condition })} error={sentence(problems.condition)} />
      {creates && (
        <>
          <Grid gap="sm">
            <Grid.Col span={6}>
              <TextInput
                label="Assignment group"
                placeholder="e.g. Security Operations"
                value={rule.assignment_group ?? ''}
                onChange={(e) => set({ assignment_group: optional(e.currentTarget.value) })}
                error={sentence(problems.assignment_group)}
              />
            </Grid.Col>
            <Grid.Col span={6}>
              <TextInput
                label="Category"
                placeholder="e.g. security"
                value={rule.category ?? ''}
                onChange={(e) => set({ category: optional(e.currentTarget.value) })}
                error={sentence(problems.category)}
              />
            </Grid.Col>
          </Grid>
          <Stack gap={2}>
            <Switch
              label="Contain the host automatically"
              checked={rule.auto_contain_host ?? false}
              onChange={(e) => set({ auto_contain_host: e.currentTarget.checked })}
              error={sentence(problems.auto_contain_host)}
            />
            <AutoContainNote on={rule.auto_contain_host ?? false} />
          </Stack>
        </>
      )}
      {!creates && (
        <Alert variant="light" color="gray">
          Alerts this rule matches are recorded in the alert log; no incident is created.
        </Alert>
      )}
      {problems.rule && (
        <Alert color="red" role="alert">
          {sentence(problems.rule)}
        </Alert>
      )}
      {problems.id && (
        <Alert color="red" role="alert">
          Rule id {rule.id}: {problems.id}
        </Alert>
      )}
    </Stack>
  );
}
