// Global provider health in the top bar: how many connections are healthy, failing or untested.
import { Badge, Tooltip } from '@mantine/core';
import { Link } from 'react-router';
import { useProviders } from '../api/providers';
import { healthOf } from '../features/providers/describe';

export function ProvidersChip() {
  const providers = useProviders();
  if (!providers.data) return null;
  const total = providers.data.length;
  const failing = providers.data.filter((p) => healthOf(p) === 'failing');
  const label = total === 0 ? 'No providers' : failing.length ? `${failing.length} of ${total} providers failing` : `${total} providers`;
  return (
    <Tooltip label={failing.length ? failing.map((p) => `${p.config.name}: ${p.health.lastError}`).join('\n') : 'Open Providers'} multiline w={360}>
      <Badge variant="light" color={failing.length ? 'red' : total ? 'teal' : 'gray'} component={Link} to="/providers" style={{ cursor: 'pointer' }}>
        {label}
      </Badge>
    </Tooltip>
  );
}
