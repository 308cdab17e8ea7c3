// IOCs this console pushed to Falcon, newest first, with who and why; delete (from Falcon too) after a confirmation.
import { Anchor, Badge, Button, Group, Loader, Modal, Paper, ScrollArea, Stack, Switch, Table, Text, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import type { PushedIoc } from '../../../src-shared/schemas/incidents';
import { useDeleteIoc, usePushedIocs } from '../../api/incidents';
import { ErrorNotice } from '../../app/ErrorNotice';
import { clockTime } from '../dashboard/when';
import { useActor } from '../incidents/actor';

function ConfirmDelete({ ioc, onClose }: { ioc: PushedIoc; onClose: () => void }) {
  const actor = useActor();
  const remove = useDeleteIoc();
  return (
    <Stack gap="sm">
      <Text size="sm">
        Delete the {ioc.type} indicator{' '}
        <Text span ff="monospace" style={{ wordBreak: 'break-all' }}>
          {ioc.value}
        </Text>{' '}
        from Falcon? Hosts stop acting on it ({ioc.action}) once Falcon drops it. The record stays here, marked deleted.
      </Text>
      {remove.isError && <ErrorNotice error={remove.error} />}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button color="red" loading={remove.isPending} onClick={() => remove.mutate({ id: ioc.id, actor }, { onSuccess: onClose })}>
          Delete from Falcon
        </Button>
      </Group>
    </Stack>
  );
}

export function PushedIocTable() {
  const [includeDeleted, setIncludeDeleted] = useState(false);
  const iocs = usePushedIocs({ includeDeleted });
  const [deleting, setDeleting] = useState<PushedIoc | null>(null);
  return (
    <Stack gap="xs">
      <Switch label="Show deleted indicators" checked={includeDeleted} onChange={(e) => setIncludeDeleted(e.currentTarget.checked)} />
      {iocs.isPending && <Loader size="sm" aria-label="Loading IOCs" />}
      {iocs.isError && <ErrorNotice error={iocs.error} />}
      {iocs.data?.length === 0 && (
        <Paper withBorder p="lg" data-testid="empty-state">
          <Text fw={600}>No IOCs pushed yet</Text>
          <Text size="sm" c="dimmed">
            Indicators pushed with the form above, or from an incident, are listed here.
          </Text>
        </Paper>
      )}
      {!!iocs.data?.length && (
        <Paper withBorder>
          <ScrollArea type="auto">
            <Table aria-label="Pushed IOCs" highlightOnHover style={{ opacity: iocs.isPlaceholderData ? 0.6 : 1 }}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Type</Table.Th>
                  <Table.Th>Value</Table.Th>
                  <Table.Th>Action</Table.Th>
                  <Table.Th>Severity</Table.Th>
                  <Table.Th>Platforms</Table.Th>
                  <Table.Th>Expires</Table.Th>
                  <Table.Th>Source incident</Table.Th>
                  <Table.Th>Pushed</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {iocs.data.map((ioc) => (
                  <Table.Tr key={ioc.id} data-testid="pushed-ioc">
                    <Table.Td>
                      <Text size="sm">{ioc.type}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }} maw={300}>
                        {ioc.value}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{ioc.action}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{ioc.severity ?? '—'}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs">{ioc.platforms.join(', ')}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs">{ioc.expiration ? new Date(ioc.expiration).toLocaleDateString() : 'never'}</Text>
                    </Table.Td>
                    <Table.Td>
                      {ioc.sourceIncident ? (
                        <Anchor component={Link} to={`/incidents/${ioc.sourceIncident}`} size="sm" ff="monospace">
                          {ioc.sourceIncident}
                        </Anchor>
                      ) : (
                        <Text size="sm">—</Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs">
                        {ioc.pushedBy}
                        <br />
                        {clockTime(Date.parse(ioc.pushedAt))}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {ioc.deletedAt ? (
                        <Badge miw="max-content" variant="outline" color="gray" title={`by ${ioc.deletedBy ?? '?'} ${clockTime(Date.parse(ioc.deletedAt))}`}>
                          Deleted
                        </Badge>
                      ) : (
                        <Badge miw="max-content" variant="light" color="teal">
                          Active
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {!ioc.deletedAt && (
                        <Button size="compact-xs" variant="subtle" color="red" onClick={() => setDeleting(ioc)} aria-label={`Delete ${ioc.type} ${ioc.value}`}>
                          Delete
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        </Paper>
      )}
      <Modal opened={deleting !== null} onClose={() => setDeleting(null)} title="Delete this IOC from Falcon?">
        {deleting && <ConfirmDelete key={deleting.id} ioc={deleting} onClose={() => setDeleting(null)} />}
      </Modal>
    </Stack>
  );
}
