// Where a CSV export stands: rows written of the total with Cancel, then where the file went, or why not.
import { Alert, Button, Group, Paper, Progress, Text } from '@mantine/core';
import { IconCheck } from '@tabler/icons-react';
import type { ExportJob } from '../../api/posture-log';
import { formatCount, rowsLabel } from './describe';

export function ExportStatus({ job, onCancel, onDismiss }: { job: ExportJob; onCancel: () => void; onDismiss: () => void }) {
  if (job.phase === 'idle' || job.phase === 'starting') return null;
  if (job.phase === 'failed')
    return (
      <Alert color="red" title={job.message} role="alert" withCloseButton onClose={onDismiss} closeButtonLabel="Dismiss">
        {job.fix && <Text size="sm">{job.fix}</Text>}
      </Alert>
    );
  const written = job.progress?.rowsWritten ?? 0;
  const total = job.progress?.total ?? 0;
  if (job.phase === 'running')
    return (
      <Paper withBorder p="sm" role="status" aria-label="CSV export" data-testid="export-progress">
        <Group justify="space-between" mb={6}>
          <Text size="sm">
            Exporting CSV… {formatCount(written)} of {formatCount(total)} rows written
          </Text>
          <Button size="xs" variant="default" onClick={onCancel}>
            Cancel export
          </Button>
        </Group>
        <Progress value={total ? Math.min(100, (written / total) * 100) : 0} animated aria-label="Export progress" />
      </Paper>
    );
  if (job.phase === 'cancelled')
    return (
      <Alert color="gray" title="Export cancelled" withCloseButton onClose={onDismiss} closeButtonLabel="Dismiss">
        No file was kept.
      </Alert>
    );
  return (
    <Alert
      color="teal"
      icon={<IconCheck />}
      title={`Exported ${rowsLabel(written)}`}
      withCloseButton
      onClose={onDismiss}
      closeButtonLabel="Dismiss"
      data-testid="export-done"
    >
      {/* In Electron the admin chose the file in the save dialog; in the browser it went to Downloads. */}
      <Text size="sm">{window.postureConsole ? `Saved to ${job.file}` : 'Your browser is downloading the CSV file.'}</Text>
    </Alert>
  );
}
