// Left navigation rail, top bar with global status, content area.
import { Alert, AppShell, Badge, Center, Kbd, Group, NavLink, ScrollArea, Text, Title, UnstyledButton } from '@mantine/core';
import { IconLock, IconLockOpen } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { NavLink as RouterLink, useLocation } from 'react-router';
import { ContractError } from '../../src-shared/contract-error';
import { useAppInfo } from '../api/app';
import { CommandPalette } from './CommandPalette';
import { ProvidersChip } from './ProvidersChip';
import { sections, type Section } from './sections';
import { TooltipAfterPaint } from './TooltipAfterPaint';

function KeyringChip() {
  const info = useAppInfo();
  const storage = info.data?.secretStorage;
  if (!storage) return null;
  return (
    <TooltipAfterPaint label={storage.explanation}>
      <Badge
        variant="light"
        color={storage.protected ? 'teal' : 'orange'}
        leftSection={storage.protected ? <IconLock size={12} /> : <IconLockOpen size={12} />}
        component={RouterLink}
        to="/status"
        style={{ cursor: 'pointer' }}
      >
        {storage.protected ? 'Secrets protected' : 'Secrets not protected'}
      </Badge>
    </TooltipAfterPaint>
  );
}

/** The web host without its token: say how to get in instead of showing a broken console. */
function SignedOut() {
  return (
    <Center h="100vh" p="md">
      <Alert color="orange" title="Open the console with its access link" maw={560} role="alert">
        This console only answers to the URL printed by `posture-console serve` (it carries the access token). Copy that whole URL, including the part after #,
        into the address bar.
      </Alert>
    </Center>
  );
}

/**
 * A section in the rail as the markup Mantine's NavLink renders (its classes and data-active), on the router's own link:
 * a NavLink resolves props, theme and styles in several components, and the first frame draws fourteen of them.
 */
const railLinkClass = `mantine-focus-auto ${NavLink.classes.root} mantine-NavLink-root ${UnstyledButton.classes.root} mantine-UnstyledButton-root`;

function RailLink({ section, active }: { section: Section; active: boolean }) {
  return (
    <RouterLink to={section.path} className={railLinkClass} data-active={active || undefined}>
      <span className={`${NavLink.classes.section} mantine-NavLink-section`} data-position="left">
        <section.icon size={18} stroke={1.6} />
      </span>
      <div className={`${NavLink.classes.body} mantine-NavLink-body`}>
        <span className={`${NavLink.classes.label} mantine-NavLink-label`}>{section.label}</span>
      </div>
    </RouterLink>
  );
}

export function Shell({ children }: { children: ReactNode }) {
  const location = useLocation();
  const info = useAppInfo();
  if (info.error instanceof ContractError && info.error.code === 'unauthorized') return <SignedOut />;
  return (
    <AppShell header={{ height: 48 }} navbar={{ width: 208, breakpoint: 0 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="xs">
            <Title order={1} size="h4">
              Posture Console
            </Title>
            {info.data?.demo && (
              <Badge color="grape" variant="light">
                Demo — simulator
              </Badge>
            )}
          </Group>
          <Group gap="xs">
            <Text size="xs" c="dimmed" visibleFrom="sm">
              <Kbd size="xs">Ctrl</Kbd> + <Kbd size="xs">K</Kbd> commands
            </Text>
            <ProvidersChip />
            <KeyringChip />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Sections">
        <ScrollArea>
          {sections.map((s) => (
            <RailLink key={s.path} section={s} active={location.pathname.startsWith(s.path)} />
          ))}
        </ScrollArea>
        <Text size="xs" c="dimmed" mt="auto" px="xs">
          {info.data ? `v${info.data.appVersion} · ${info.data.host}` : ''}
        </Text>
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
      <CommandPalette />
    </AppShell>
  );
}
