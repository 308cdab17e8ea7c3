// Global provider health in the top bar: how many connections are healthy, failing or untested.
import { Badge } from '@mantine/core';
import { Link } from 'react-router';
import { useProviders } from '../api/providers';
import { countOf, formatCount } from './numbers';
import { TooltipAfterPaint } from './TooltipAfterPaint';

export function ProvidersChip() {
  const providers = useProviders();
  if (!providers.data) return null;
  const total = providers.data.length;
  const failing = providers.data.filter((p) => p.status.state === 'failing');
  const label =
    total === 0 ? 'No providers' : failing.length ? `${formatCount(failing.length)} of ${formatCount(total)} providers failing` : countOf(total, 'provider');
  return (
    <TooltipAfterPaint label={failing.length ? failing.map((p) => `${p.config.name}: ${p.status.detail}`).join('\n') : 'Open Providers'}>
      <Badge variant="light" color={failing.length ? 'red' : total ? 'teal' : 'gray'} component={Link} to="/providers" style={{ cursor: 'pointer' }}>
        {label}
      </Badge>
    </TooltipAfterPaint>
  );
}
