// Why a condition came out as it did on one alert: every sub-expression with its value, what the alert
// held, and the decisive true parts highlighted (the terms that made a matching rule match).
import { Badge, Box, Group, Stack, Text } from '@mantine/core';
import type { ExplainNode, ExplainValue } from '../../../src-shared/schemas/rules';

export function valueText(value: ExplainValue | undefined): string {
  if (value === undefined) return '—';
  if (Array.isArray(value)) return `(${value.map((v) => valueText(v)).join(', ')})`;
  if (typeof value === 'string') return `'${value}'`;
  return String(value);
}

function received(node: ExplainNode): string | null {
  if (node.kind !== 'comparison') return null;
  if (node.missing) return `${node.field ?? 'the field'} is missing`;
  return `received ${valueText(node.received)}`;
}

/** The leaves that decided a true result: what "why" means in one line. */
export function decisiveTerms(node: ExplainNode): ExplainNode[] {
  if (!node.result || !node.decisive) return [];
  const children = node.children ?? [];
  if (children.length === 0) return [node];
  return children.flatMap(decisiveTerms);
}

export function termText(node: ExplainNode): string {
  const got = received(node);
  return got ? `${node.text} — ${got}` : node.text;
}

function NodeLine({ node }: { node: ExplainNode }) {
  const highlight = node.decisive && node.result;
  const got = received(node);
  return (
    <Group
      gap={6}
      wrap="nowrap"
      align="flex-start"
      px={4}
      data-decisive={highlight || undefined}
      style={{ borderRadius: 4, background: highlight ? 'var(--mantine-color-teal-light)' : undefined }}
    >
      <Badge size="xs" variant={node.result ? 'filled' : 'outline'} color={node.result ? 'teal' : 'gray'} style={{ flexShrink: 0 }}>
        {node.result ? 'true' : 'false'}
      </Badge>
      <Text size="xs" ff="monospace" fw={highlight ? 700 : 400} style={{ wordBreak: 'break-word' }}>
        {node.kind === 'comparison' || node.kind === 'constant' ? node.text : node.kind.toUpperCase()}
      </Text>
      {got && (
        <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
          {got}
        </Text>
      )}
      {highlight && (
        <Text size="xs" c="teal" fw={600} style={{ flexShrink: 0 }}>
          decisive
        </Text>
      )}
    </Group>
  );
}

export function ExplainTree({ node }: { node: ExplainNode }) {
  return (
    <Stack gap={2}>
      <NodeLine node={node} />
      {node.children && node.children.length > 0 && (
        <Box pl="md" ml={8} style={{ borderLeft: '1px solid var(--mantine-color-default-border)' }}>
          <Stack gap={2}>
            {node.children.map((child) => (
              <ExplainTree key={`${child.from}-${child.to}`} node={child} />
            ))}
          </Stack>
        </Box>
      )}
    </Stack>
  );
}
