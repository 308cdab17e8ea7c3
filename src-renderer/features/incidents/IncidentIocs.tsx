// The IOCs attached to an incident (hashes from its alerts, and ones an admin added), whether each has been
// pushed to Falcon, Push now for a manual one, and the form to attach another.
import { zodResolver } from '@hookform/resolvers/zod';
import { Badge, Button, Collapse, Group, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { IocInput, type IncidentDetail, type IncidentIoc, type IocInputDraft } from '../../../src-shared/schemas/incidents';
import { useAttachIoc, usePushIoc } from '../../api/incidents';
import { ErrorNotice } from '../../app/ErrorNotice';
import { clockTime } from '../dashboard/when';
import { iocDefaults, IocFields } from '../iocs/IocFields';
import { useActor } from './actor';

function AttachForm({ number, onDone }: { number: string; onDone: () => void }) {
  const actor = useActor();
  const attach = useAttachIoc();
  const { control, register, formState, handleSubmit, reset } = useForm<IocInputDraft, unknown, IocInput>({
    resolver: zodResolver(IocInput),
    mode: 'onChange',
    defaultValues: { ...iocDefaults, source_incident: number },
  });
  const submit = handleSubmit((input) =>
    attach.mutate(
      { number, input, actor },
      {
        onSuccess: () => {
          reset();
          onDone();
        },
      },
    ),
  );
  return (
    <form onSubmit={submit} noValidate aria-label="Attach an IOC">
      <Stack gap="sm">
        <IocFields control={control} register={register} errors={formState.errors} withSourceIncident={false} />
        {attach.isError && <ErrorNotice error={attach.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={attach.isPending}>
            Attach IOC
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function PushNow({ incident, ioc }: { incident: IncidentDetail; ioc: IncidentIoc & { input: NonNullable<IncidentIoc['input']> } }) {
  const actor = useActor();
  const push = usePushIoc();
  if (push.data)
    return (
      <Badge miw="max-content" variant="light" color={push.data.status === 'created' ? 'teal' : 'yellow'}>
        {push.data.status === 'created' ? 'Created' : 'Duplicate'}
      </Badge>
    );
  return (
    <Stack gap={2}>
      <Button
        size="compact-xs"
        variant="light"
        loading={push.isPending}
        onClick={() => push.mutate({ integrationId: incident.integrationId, input: { ...ioc.input, source_incident: incident.number }, actor })}
        aria-label={`Push ${ioc.type} ${ioc.value} to Falcon`}
      >
        Push now
      </Button>
      {push.isError && (
        <Text size="xs" c="red">
          {push.error.message}
        </Text>
      )}
    </Stack>
  );
}

export function IncidentIocs({ incident }: { incident: IncidentDetail }) {
  const [adding, setAdding] = useState(false);
  return (
    <Stack gap="xs">
      {incident.iocs.length === 0 && (
        <Text size="sm" c="dimmed">
          No IOCs attached.
        </Text>
      )}
      {incident.iocs.length > 0 && (
        <Table aria-label="IOCs attached to the incident">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Type</Table.Th>
              <Table.Th>Value</Table.Th>
              <Table.Th>From</Table.Th>
              <Table.Th>Added</Table.Th>
              <Table.Th>Falcon</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {incident.iocs.map((ioc) => (
              <Table.Tr key={`${ioc.type}:${ioc.value}`}>
                <Table.Td>
                  <Text size="sm">{ioc.type}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
                    {ioc.value}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{ioc.origin === 'alert' ? 'Alert' : `Added (${ioc.input?.action ?? ''})`}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">
                    {ioc.addedBy} · {clockTime(Date.parse(ioc.addedAt))}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {ioc.pushedId ? (
                    <Badge miw="max-content" variant="light" color="teal">
                      Pushed
                    </Badge>
                  ) : ioc.input ? (
                    <PushNow incident={incident} ioc={{ ...ioc, input: ioc.input }} />
                  ) : (
                    <Badge miw="max-content" variant="outline" color="gray" title="Alert hashes follow the integration's push-on-resolve setting">
                      Not pushed
                    </Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {!adding && (
        <Group>
          <Button size="xs" variant="light" onClick={() => setAdding(true)}>
            Attach an IOC
          </Button>
        </Group>
      )}
      <Collapse expanded={adding}>{adding && <AttachForm number={incident.number} onDone={() => setAdding(false)} />}</Collapse>
    </Stack>
  );
}
