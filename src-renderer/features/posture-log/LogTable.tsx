// The log as a virtualized table: only the rows on screen are in the DOM, pages load as the end comes near,
// and the keyboard moves the selection (arrows, Page Up/Down, Home/End) and opens a row (Enter).
import { Button, Group, Loader, Table, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { IconArrowDown, IconArrowsSort, IconArrowUp } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useMemo, useRef, type CSSProperties, type KeyboardEvent, type MouseEvent as ReactMouseEvent, type ReactNode } from 'react';
import type { LogRow, LogSort, LogView } from '../../../src-shared/schemas/posture-log';
import { useLogColumns } from '../../state/log-columns';
import { formatTime, resultLabel, runSummary, timeInFull, timeZoneLabel } from './describe';
import classes from './LogTable.module.css';
import { RowResultChip } from './ResultChip';
import { useAfterFirstPaint } from '../../app/after-first-paint';

/** Must match `.row` in LogTable.module.css (rows and the header): rows are never measured, which keeps long scrolls smooth. */
const ROW_HEIGHT = 34;
/** Start loading the next page this many rows before the end, so scrolling rarely meets the loader. */
const PREFETCH_ROWS = 60;
/** Rows kept rendered beyond each edge of the view while scrolling, so a fast scroll rarely shows blank rows. */
const OVERSCAN = 16;
/** What always takes the window's height besides the scroller: top bar, title, one line of filters, gaps and paddings. */
const ABOVE_AND_BELOW_PX = 190;
/** Until the table has painted once: the first paint draws what is on screen and a few more, the rest a frame later. */
const FIRST_PAINT_OVERSCAN = 2;

/**
 * A column: its header and how a row shows in it. No table row model: sorting and filtering happen in the store,
 * and a row model would build objects (with dozens of closures each) for every loaded row at every page.
 */
interface LogColumn {
  id: string;
  header: string;
  cell: (row: LogRow) => ReactNode;
}

/**
 * Starting column widths; every column has a set width so columns do not jump as rows stream in, and each column but
 * "Received vs expected" (which takes the rest) can be dragged wider. A cut value shows in full on hover.
 */
const widths: Record<string, number | undefined> = {
  time: 160,
  device: 140,
  serial: 110,
  matchKey: 100,
  provider: 150,
  check: 170,
  result: 90,
  received: undefined,
  run: 120,
};

/** A cell's share of its row: its column's width (a variable on the table, so a drag re-renders no row), or the rest. */
const cellStyles = Object.fromEntries(
  Object.entries(widths).map(([id, width]) => [id, width === undefined ? { flex: '1 1 0', minWidth: 0 } : { flex: `0 0 var(--col-${id})` }]),
) as Record<string, CSSProperties>;

/** Which contract sort each header drives; the every-evaluation view sorts by time only. */
const sortable: Record<string, LogSort['by'] | undefined> = { time: 'time', device: 'device', result: 'result' };

function Ellipsis({ children, title, dimmed, mono, small }: { children: string; title?: string; dimmed?: boolean; mono?: boolean; small?: boolean }) {
  const className = [classes.text, mono && classes.mono, small && classes.small, dimmed && classes.dimmed].filter(Boolean).join(' ');
  return (
    <span className={className} title={title ?? children}>
      {children}
    </span>
  );
}

/** Display columns over the row (sorting happens in the store, so no accessors are needed). */
function columnsFor(view: LogView, providerName: (id: string) => string): LogColumn[] {
  const cell = (id: string, header: string, render: (row: LogRow) => ReactNode): LogColumn => ({ id, header, cell: render });
  const columns = [
    // Local time, and the zone it is in (the CSV has UTC; the hover shows both).
    cell('time', `Time (${timeZoneLabel()})`, (r) => (
      <Ellipsis mono title={timeInFull(r.at)}>
        {formatTime(r.at)}
      </Ellipsis>
    )),
    cell('device', 'Device', (r) => <Ellipsis>{r.deviceName}</Ellipsis>),
    // The serial as the provider reported it (the tooltip keeps its spaces and line breaks), then what it matched on.
    cell('serial', 'Serial', (r) => (
      <Ellipsis mono dimmed={!r.serial}>
        {r.serial || '—'}
      </Ellipsis>
    )),
    cell('matchKey', 'Match key', (r) => (
      <Ellipsis mono dimmed>
        {r.serialKey ?? '—'}
      </Ellipsis>
    )),
    cell('provider', 'Provider', (r) => <Ellipsis>{providerName(r.providerId)}</Ellipsis>),
    cell('check', 'Check', (r) => <Ellipsis>{r.checkName}</Ellipsis>),
    cell('result', 'Result', (r) => <RowResultChip result={r.result} />),
    cell('received', 'Received vs expected', (r) => (
      <span className={classes.text} title={`Received: ${r.received ?? '—'}\nExpected: ${r.expected ?? '—'}`}>
        {r.received ?? '—'} <span className={classes.dimmed}>vs {r.expected ?? '—'}</span>
      </span>
    )),
  ];
  // A run (count, first–last) means something where rows are runs: the changes and latest views.
  if (view !== 'evaluations')
    columns.push(
      cell('run', 'Run', (r) => {
        const run = runSummary(r);
        return (
          <Ellipsis dimmed small title={run.full}>
            {run.text}
          </Ellipsis>
        );
      }),
    );
  return columns;
}

function SortHeader({ label, by, sort, onSort }: { label: string; by: LogSort['by']; sort: LogSort; onSort: (sort: LogSort) => void }) {
  const active = sort.by === by;
  const Icon = !active ? IconArrowsSort : sort.dir === 'asc' ? IconArrowUp : IconArrowDown;
  const next: LogSort = active ? { by, dir: sort.dir === 'asc' ? 'desc' : 'asc' } : { by, dir: by === 'time' ? 'desc' : 'asc' };
  return (
    // The header's name stays the column's; aria-sort on the header tells the order.
    <UnstyledButton onClick={() => onSort(next)} fw={700} fz="sm" title={`Sort by ${label.toLowerCase()}, ${next.dir === 'asc' ? 'ascending' : 'descending'}`}>
      <Group gap={4} wrap="nowrap">
        {label}
        <Icon size={14} aria-hidden style={{ opacity: active ? 1 : 0.45 }} />
      </Group>
    </UnstyledButton>
  );
}

/**
 * The classes and attributes Mantine's Table.Tr and Table.Td give a body row and cell in this table (row borders and
 * hover on, no column borders or stripes), written out once: the rows are plain elements, because each Mantine
 * table part is two components (its own and a Box) resolving props and styles, and a first paint draws ~35 rows of
 * 9 cells. The header keeps Mantine's parts.
 */
const rowClass = `${Table.classes.tr} mantine-Table-tr ${classes.row}`;
const cellClass = `${Table.classes.td} mantine-Table-td ${classes.cell}`;

/** One row; memoized so a scroll frame renders only the rows that came into view. */
const LogTableRow = memo(function LogTableRow({
  row,
  columns,
  index,
  selected,
  onSelect,
  onOpen,
}: {
  row: LogRow;
  columns: LogColumn[];
  index: number;
  selected: boolean;
  onSelect: (id: string) => void;
  onOpen: (id: string) => void;
}) {
  return (
    <tr
      role="row"
      className={rowClass}
      style={{ top: index * ROW_HEIGHT }}
      data-with-row-border
      data-hover
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-testid="log-row"
      onClick={() => {
        onSelect(row.id);
        onOpen(row.id);
      }}
    >
      {columns.map((c) => (
        <td key={c.id} role="cell" className={cellClass} style={cellStyles[c.id]} data-col={c.id}>
          {c.cell(row)}
        </td>
      ))}
    </tr>
  );
});

/** Column width: what the user dragged it to, else its starting width (undefined: the column takes the rest). */
function widthIn(sizing: Sizing, id: string): number | undefined {
  return widths[id] === undefined ? undefined : (sizing[id] ?? widths[id]);
}

/** The column widths and headers; memoized so a scroll frame, which renders the table again, leaves them alone. */
const LogTableHead = memo(function LogTableHead({
  columns,
  view,
  sort,
  onSort,
}: {
  columns: LogColumn[];
  view: LogView;
  sort: LogSort;
  onSort: (sort: LogSort) => void;
}) {
  const { sizing, setSizing } = useLogColumns();
  return (
    <>
      <Table.Thead role="rowgroup" style={{ zIndex: 2 }}>
        <Table.Tr role="row" aria-rowindex={1} className={classes.row}>
          {columns.map((c) => {
            const by = sortable[c.id];
            const canSort = by !== undefined && (view !== 'evaluations' || by === 'time');
            return (
              <Table.Th
                key={c.id}
                role="columnheader"
                className={classes.head}
                style={cellStyles[c.id]}
                title={c.header}
                aria-sort={by && sort.by === by ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}
              >
                {canSort ? <SortHeader label={c.header} by={by} sort={sort} onSort={onSort} /> : c.header}
                {widths[c.id] !== undefined && (
                  // Drag to resize; double-click returns the column to its starting width.
                  <div
                    className={classes.resizer}
                    onMouseDown={(e) => startResize(e, c.id, widthIn(sizing, c.id) ?? 200, sizing, setSizing)}
                    onDoubleClick={() => setSizing(withoutKey(sizing, c.id))}
                    onClick={(e) => e.stopPropagation()}
                    aria-hidden
                  />
                )}
              </Table.Th>
            );
          })}
        </Table.Tr>
      </Table.Thead>
    </>
  );
});

export interface LogTableProps {
  rows: LogRow[];
  total: number | undefined;
  view: LogView;
  sort: LogSort;
  onSort: (sort: LogSort) => void;
  providerName: (id: string) => string;
  hasMore: boolean;
  /** Any fetch of the pages in flight (a next page or a refresh): no further page is asked for meanwhile. */
  loadingMore: boolean;
  onNearEnd: () => void;
  /** True while the rows shown belong to the previous filter. */
  stale: boolean;
  selectedId: string | null;
  onSelect: (id: string) => void;
  onOpen: (id: string) => void;
  atTop: boolean;
  onAtTopChange: (atTop: boolean) => void;
  newRows: number;
  onShowNewRows: () => void;
}

export function LogTable(props: LogTableProps) {
  'use no memo'; // TanStack Virtual returns a mutable instance that the React Compiler must not memoize.
  const { rows, total, view, sort, onSort, providerName, hasMore, loadingMore, onNearEnd, stale, selectedId, onSelect, onOpen } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const columns = useMemo(() => columnsFor(view, providerName), [view, providerName]);
  const sizing = useLogColumns((s) => s.sizing);
  const totalWidth = columns.reduce((sum, c) => sum + (widthIn(sizing, c.id) ?? 200), 0);
  const painted = useAfterFirstPaint();
  // After the frame with the first rows: the scroll margin then renders off screen, not before the rows show.
  const overscan = painted ? OVERSCAN : FIRST_PAINT_OVERSCAN;
  // Known and handled: 'use no memo' above keeps the compiler away from the virtualizer instance.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length + (hasMore ? 1 : 0),
    // Handed over after the first paint too: taking the scroller measures it, which in the first commit forces the whole
    // page's style and layout mid-commit (and then styles the trimmed rows again); until then initialRect stands in.
    getScrollElement: () => (painted ? scrollRef.current : null),
    estimateSize: () => ROW_HEIGHT,
    // The sticky header sits above the rows in the same scroller: offsets start below it, and a row scrolled
    // into view from below or above stops clear of it.
    scrollMargin: ROW_HEIGHT,
    scrollPaddingStart: ROW_HEIGHT,
    overscan,
    // At most the scroller's size, so the first render already holds every row on screen (a few more, trimmed once
    // measured) rather than none and then all of them rendered again, synchronously, from the measuring layout effect.
    initialRect: { width: window.innerWidth, height: Math.max(ROW_HEIGHT * 10, window.innerHeight - ABOVE_AND_BELOW_PX) },
    getItemKey: (index) => rows[index]?.id ?? 'loader',
    onChange: (instance) => {
      const atTop = (instance.scrollOffset ?? 0) < ROW_HEIGHT;
      if (atTop !== props.atTop) props.onAtTopChange(atTop);
    },
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;
  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= rows.length - PREFETCH_ROWS) onNearEnd();
  }, [hasMore, loadingMore, lastIndex, rows.length, onNearEnd]);

  const selectedIndex = useMemo(() => (selectedId === null ? -1 : rows.findIndex((r) => r.id === selectedId)), [rows, selectedId]);
  const selected = selectedIndex >= 0 ? rows[selectedIndex] : undefined;

  const move = (index: number) => {
    const next = Math.max(0, Math.min(rows.length - 1, index));
    const row = rows[next];
    if (!row) return;
    onSelect(row.id);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    const from = selectedIndex;
    const steps: Record<string, () => void> = {
      ArrowDown: () => move(from + 1),
      ArrowUp: () => move(from < 0 ? 0 : from - 1),
      PageDown: () => move(from + page),
      PageUp: () => move(from - page),
      Home: () => move(0),
      End: () => move(rows.length - 1),
      Enter: () => {
        if (selected) onOpen(selected.id);
        else if (rows[0]) {
          onSelect(rows[0].id);
          onOpen(rows[0].id);
        }
      },
    };
    const step = steps[e.key];
    if (!step || e.target !== e.currentTarget) return;
    e.preventDefault();
    step();
  };

  const columnWidths = Object.fromEntries(columns.map((c) => [`--col-${c.id}`, `${widthIn(sizing, c.id) ?? 0}px`])) as CSSProperties;

  return (
    <div style={{ position: 'relative', flex: 1, minHeight: 0 }}>
      {props.newRows > 0 && (
        <Button
          size="xs"
          radius="xl"
          pos="absolute"
          top={44}
          left="50%"
          style={{ transform: 'translateX(-50%)', zIndex: 3 }}
          onClick={() => {
            virtualizer.scrollToOffset(0);
            props.onShowNewRows();
          }}
        >
          {props.newRows} new {props.newRows === 1 ? 'row' : 'rows'} — show
        </Button>
      )}
      <div
        ref={scrollRef}
        tabIndex={0}
        role="region"
        aria-label="Posture log rows. Arrow keys move the selection, Enter opens the details."
        onKeyDown={onKeyDown}
        className={classes.scroller}
        data-stale={stale || undefined}
        data-testid="log-scroller"
      >
        <Table
          // The roles are spelled out: the table is laid out in blocks and flex rows, not by the table algorithm.
          role="table"
          aria-label="Posture log"
          aria-rowcount={total !== undefined ? total + 1 : -1}
          stickyHeader
          miw={Math.max(1100, totalWidth)}
          className={classes.grid}
          style={columnWidths}
          horizontalSpacing="xs"
          highlightOnHover
        >
          <LogTableHead columns={columns} view={view} sort={sort} onSort={onSort} />
          <tbody role="rowgroup" className={classes.body} style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const row = rows[item.index];
              if (!row)
                return (
                  <tr key="loader" role="row" className={rowClass} style={{ top: item.index * ROW_HEIGHT }}>
                    <td role="cell" className={cellClass} style={cellStyles.received}>
                      <Group gap="xs">
                        <Loader size="xs" />
                        <Text size="sm" c="dimmed">
                          Loading more rows…
                        </Text>
                      </Group>
                    </td>
                  </tr>
                );
              return (
                <LogTableRow key={row.id} row={row} columns={columns} index={item.index} selected={row.id === selectedId} onSelect={onSelect} onOpen={onOpen} />
              );
            })}
          </tbody>
        </Table>
      </div>
      <VisuallyHidden aria-live="polite">
        {selected ? `${selected.deviceName}, ${selected.checkName}: ${resultLabel[selected.result].label}` : ''}
      </VisuallyHidden>
    </div>
  );
}

type Sizing = Record<string, number>;

/** Follows the mouse from a header's edge until the button is released; the width is kept in UI state. */
function startResize(event: ReactMouseEvent, id: string, from: number, sizing: Sizing, setSizing: (next: Sizing) => void): void {
  event.preventDefault();
  event.stopPropagation();
  const startX = event.clientX;
  const move = (e: MouseEvent) => setSizing({ ...sizing, [id]: Math.max(60, Math.round(from + e.clientX - startX)) });
  const up = () => {
    window.removeEventListener('mousemove', move);
    window.removeEventListener('mouseup', up);
  };
  window.addEventListener('mousemove', move);
  window.addEventListener('mouseup', up);
}

function withoutKey(sizing: Sizing, id: string): Sizing {
  const { [id]: _dropped, ...rest } = sizing;
  return rest;
}
