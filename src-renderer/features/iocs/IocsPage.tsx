// IOCs: push an indicator to Falcon, the indicators pushed so far, and the response settings that decide
// what happens around an incident (host enrichment fields, automatic containment).
import { Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useLocation } from 'react-router';
import { AutoContainmentSwitch } from './AutoContainmentSwitch';
import { EnrichmentMappingEditor } from './EnrichmentMappingEditor';
import { IocPushForm } from './IocPushForm';
import { PushedIocTable } from './PushedIocTable';

export function IocsPage() {
  const { hash } = useLocation();
  // Links such as /iocs#response-settings (from a rule's auto-contain note) land on their section.
  useEffect(() => {
    if (hash) document.getElementById(hash.slice(1))?.scrollIntoView({ block: 'start' });
  }, [hash]);
  return (
    <Stack gap="md">
      <Stack gap={2}>
        <Title order={2}>IOCs</Title>
        <Text size="sm" c="dimmed">
          Indicators of compromise pushed to CrowdStrike Falcon for detection or blocking.
        </Text>
      </Stack>
      <Paper withBorder p="md" component="section" aria-labelledby="push-title">
        <Title order={3} size="h5" id="push-title" mb="sm">
          Push an IOC
        </Title>
        <IocPushForm />
      </Paper>
      <Stack gap="xs" component="section" aria-labelledby="pushed-title">
        <Title order={3} size="h5" id="pushed-title">
          Pushed IOCs
        </Title>
        <PushedIocTable />
      </Stack>
      <Stack gap="md" component="section" aria-labelledby="response-settings-title" id="response-settings">
        <Title order={3} size="h4" id="response-settings-title">
          Response settings
        </Title>
        <Paper withBorder p="md" component="section" aria-labelledby="enrichment-title">
          <Title order={4} size="h5" id="enrichment-title" mb="xs">
            Host enrichment fields
          </Title>
          <EnrichmentMappingEditor />
        </Paper>
        <Paper withBorder p="md" component="section" aria-labelledby="containment-title">
          <Title order={4} size="h5" id="containment-title" mb="xs">
            Automatic containment
          </Title>
          <AutoContainmentSwitch />
        </Paper>
      </Stack>
    </Stack>
  );
}
