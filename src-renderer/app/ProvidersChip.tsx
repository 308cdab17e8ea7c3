// Global provider health in the top bar: how many connections are healthy, failing or untested.
import { Badge, Tooltip } from '@mantine/core';
import { Link } from 'react-router';
import { useProviders } from '../api/providers';
import { useAfterFirstPaint } from './after-first-paint';
import { countOf, formatCount } from './numbers';

export function ProvidersChip() {
  const providers = useProviders();
  const painted = useAfterFirstPaint();
  if (!providers.data) return null;
  const total = providers.data.length;
  const failing = providers.data.filter((p) => p.status.state === 'failing');
  const label =
    total === 0 ? 'No providers' : failing.length ? `${formatCount(failing.length)} of ${formatCount(total)} providers failing` : countOf(total, 'provider');
  const chip = (
    <Badge variant="light" color={failing.length ? 'red' : total ? 'teal' : 'gray'} component={Link} to="/providers" style={{ cursor: 'pointer' }}>
      {label}
    </Badge>
  );
  // The tooltip joins once the first screen has painted: it is a hover away, and the first frame waits for everything in it.
  if (!painted) return chip;
  return (
    <Tooltip label={failing.length ? failing.map((p) => `${p.config.name}: ${p.status.detail}`).join('\n') : 'Open Providers'} multiline w={360}>
      {chip}
    </Tooltip>
  );
}
