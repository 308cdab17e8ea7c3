// What this installation is and how it protects secrets, in plain words.
import { Alert, Badge, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconLock } from '@tabler/icons-react';
import { useAppInfo } from '../../api/app';
import { ErrorNotice } from '../../app/ErrorNotice';

export function StatusPage() {
  const info = useAppInfo();
  if (info.isPending) return <Loader aria-label="Loading status" />;
  if (info.isError) return <ErrorNotice error={info.error} />;
  const { secretStorage: storage, versions } = info.data;
  return (
    <Stack gap="md" maw={820}>
      <Title order={2}>Status</Title>
      {storage.protected ? (
        <Alert color="teal" icon={<IconLock />} title="Secrets are protected" data-testid="keyring-status">
          {storage.explanation}
        </Alert>
      ) : (
        <Alert color="orange" icon={<IconAlertTriangle />} title="Secrets are NOT protected on this machine" data-testid="keyring-status">
          {storage.explanation}
        </Alert>
      )}
      <Paper withBorder>
        <Table aria-label="Installation details">
          <Table.Tbody>
            <Table.Tr>
              <Table.Th w={220}>Version</Table.Th>
              <Table.Td>{info.data.appVersion}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Running as</Table.Th>
              <Table.Td>{{ electron: 'Desktop app', web: 'Web host (loopback)', cli: 'Command line' }[info.data.host]}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Data directory</Table.Th>
              <Table.Td>
                <Text ff="monospace" size="sm">
                  {info.data.dataDir}
                </Text>
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Secret storage</Table.Th>
              <Table.Td>
                {storage.backend}{' '}
                <Badge ml="xs" variant="light" color={storage.persisted ? 'teal' : 'orange'}>
                  {storage.persisted ? 'saved to disk' : 'this session only'}
                </Badge>
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Node</Table.Th>
              <Table.Td>{versions.node}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Electron</Table.Th>
              <Table.Td>{versions.electron ?? 'not running in Electron'}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Chromium</Table.Th>
              <Table.Td>{versions.chromium ?? navigator.userAgent.match(/Chrom(e|ium)\/([\d.]+)/)?.[2] ?? 'unknown'}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}
