// The alert fields a condition can name, with their type and known values: the catalog completion uses.
import { Accordion, Code, Loader, ScrollArea, Table, Text } from '@mantine/core';
import { useRuleFields } from '../../api/rules';
import { ErrorNotice } from '../../app/ErrorNotice';

function Catalog() {
  const fields = useRuleFields();
  if (fields.isPending) return <Loader size="sm" aria-label="Loading fields" />;
  if (fields.isError) return <ErrorNotice error={fields.error} />;
  return (
    <ScrollArea.Autosize mah={360} type="auto">
      <Table aria-label="Alert fields" stickyHeader>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Field</Table.Th>
            <Table.Th>Type</Table.Th>
            <Table.Th>Meaning</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {fields.data.map((f) => (
            <Table.Tr key={f.name}>
              <Table.Td>
                <Code>{f.name}</Code>
              </Table.Td>
              <Table.Td>
                <Text size="xs">
                  {f.type}
                  {f.min !== undefined ? ` ${f.min}–${f.max ?? ''}` : ''}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs">{f.description}</Text>
                {f.values && (
                  <Text size="xs" c="dimmed" lineClamp={2}>
                    Values: {f.values.join(', ')}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}

export function FieldReference() {
  return (
    <Accordion variant="contained" chevronPosition="left">
      <Accordion.Item value="fields">
        <Accordion.Control>Fields and operators a condition can use</Accordion.Control>
        <Accordion.Panel>
          <Text size="xs" mb="xs">
            Operators: <Code>= != &gt; &gt;= &lt; &lt;=</Code>, <Code>IN (…)</Code>, <Code>CONTAINS &apos;text&apos;</Code>,{' '}
            <Code>MATCHES &apos;/pattern/i&apos;</Code>, combined with <Code>NOT</Code>, <Code>AND</Code>, <Code>OR</Code> and brackets. Text compares ignoring
            case; a missing field makes a comparison false.
          </Text>
          <Catalog />
        </Accordion.Panel>
      </Accordion.Item>
    </Accordion>
  );
}
