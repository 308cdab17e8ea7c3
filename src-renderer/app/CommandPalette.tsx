// Ctrl/Cmd+K: go anywhere or run a common action by typing, without the mouse.
import { Kbd, Modal, ScrollArea, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useMemo, useState, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router';
import { isPostureProviderKind } from '../../src-shared/schemas/posture-kinds';
import { useProviders } from '../api/providers';
import { useUpdateUiSettings } from '../api/app';
import { usePollNow } from '../api/posture';
import { postureLogLink } from '../state/posture-log-filters';
import { useRequestedActions } from '../state/requested-actions';
import { useAfterFirstPaint } from './after-first-paint';
import { sections } from './sections';

interface Command {
  id: string;
  label: string;
  hint: string;
  run: () => void;
}

function useCommands(close: () => void): Command[] {
  const navigate = useNavigate();
  const providers = useProviders();
  const theme = useUpdateUiSettings();
  const pollNow = usePollNow();
  return useMemo(() => {
    const go = (path: string) => () => {
      navigate(path);
      close();
    };
    const { openTest, request } = useRequestedActions.getState();
    const all = providers.data ?? [];
    const pollable = all.filter((p) => isPostureProviderKind(p.config.kind));
    // Actions whose progress shows on a screen open that screen: Tests on Providers, polls on the Dashboard, exports on the log.
    return [
      ...sections.map((s) => ({ id: `go:${s.path}`, label: s.label, hint: 'Go to', run: go(s.path) })),
      ...all.map((p) => ({
        id: `test:${p.config.id}`,
        label: `Test ${p.config.name}`,
        hint: 'Action',
        run: () => {
          openTest(p.config.id);
          go('/providers')();
        },
      })),
      ...(all.length > 0 ? [{ id: 'test:all', label: 'Test all providers', hint: 'Action', run: () => (request('testAll'), go('/providers')()) }] : []),
      ...pollable.map((p) => ({
        id: `poll:${p.config.id}`,
        label: `Poll ${p.config.name} now`,
        hint: 'Action',
        run: () => {
          pollNow.mutate(p.config.id);
          go('/dashboard')();
        },
      })),
      { id: 'export:log', label: 'Export the posture log (CSV, current filters)', hint: 'Action', run: () => (request('exportLog'), go('/posture-log')()) },
      { id: 'posture-failures', label: 'Show failing posture results', hint: 'Go to', run: go(postureLogLink({ result: 'fail' })) },
      { id: 'theme:dark', label: 'Use the dark theme', hint: 'Action', run: () => (theme.mutate({ theme: 'dark' }), close()) },
      { id: 'theme:light', label: 'Use the light theme', hint: 'Action', run: () => (theme.mutate({ theme: 'light' }), close()) },
      { id: 'theme:system', label: 'Follow the system theme', hint: 'Action', run: () => (theme.mutate({ theme: 'system' }), close()) },
    ];
  }, [navigate, providers.data, theme, pollNow, close]);
}

/** Joins after the first screen has painted: it shows nothing until Ctrl/Cmd+K, and the first frame waits for all it renders. */
export function CommandPalette() {
  return useAfterFirstPaint() ? <Palette /> : null;
}

function Palette() {
  const [opened, setOpened] = useState(false);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const close = () => {
    setOpened(false);
    setQuery('');
    setActive(0);
  };
  useHotkeys([['mod+K', () => setOpened(true)]]);
  const commands = useCommands(close);
  const shown = commands.filter((c) => c.label.toLowerCase().includes(query.trim().toLowerCase()));
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') setActive((i) => Math.min(i + 1, shown.length - 1));
    else if (e.key === 'ArrowUp') setActive((i) => Math.max(i - 1, 0));
    else if (e.key === 'Enter') shown[active]?.run();
    else return;
    e.preventDefault();
  };
  return (
    <Modal opened={opened} onClose={close} title="Command palette" size="lg">
      <TextInput
        data-autofocus
        placeholder="Type a section or an action…"
        aria-label="Command"
        aria-controls="command-list"
        aria-activedescendant={shown[active] ? `command-${shown[active].id}` : undefined}
        value={query}
        onChange={(e) => {
          setQuery(e.currentTarget.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        rightSection={<Kbd size="xs">Enter</Kbd>}
        rightSectionWidth={60}
      />
      <ScrollArea.Autosize mah={360} mt="sm">
        <Stack gap={2} id="command-list" role="listbox" aria-label="Commands">
          {shown.map((c, i) => (
            <UnstyledButton
              key={c.id}
              id={`command-${c.id}`}
              role="option"
              aria-selected={i === active}
              onClick={c.run}
              onMouseEnter={() => setActive(i)}
              px="sm"
              py={6}
              style={{ borderRadius: 4, background: i === active ? 'var(--mantine-color-default-hover)' : undefined }}
            >
              <Text size="sm">
                {c.label}{' '}
                <Text span size="xs" c="dimmed">
                  · {c.hint}
                </Text>
              </Text>
            </UnstyledButton>
          ))}
          {shown.length === 0 && (
            <Text size="sm" c="dimmed">
              No command matches “{query}”.
            </Text>
          )}
        </Stack>
      </ScrollArea.Autosize>
    </Modal>
  );
}
