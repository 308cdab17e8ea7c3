// The Splunk HEC and OTLP/HTTP parts of the sink form: metadata, indexer acknowledgement with its channel, and
// the collector's extra (non-secret) headers.
import { Button, Group, Switch, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Controller, useWatch, type UseFormReturn } from 'react-hook-form';
import type { z } from 'zod';
import { SinkInput } from '../../../src-shared/schemas/sinks';

type FormValues = z.input<typeof SinkInput>;
type Props = { form: UseFormReturn<FormValues>; err: (name: string) => string | undefined };

const optional = { setValueAs: (v: string) => (v?.trim() ? v : undefined) };

export function HecFields({ form, err }: Props) {
  const { register, control, setValue } = form;
  const useAck = useWatch({ control, name: 'useAck' as never }) as unknown as boolean | undefined;
  return (
    <>
      <Group grow align="flex-start">
        <TextInput label="Index (optional)" description="Empty: the token’s default index." {...register('index' as never, optional)} error={err('index')} />
        <TextInput label="Source (optional)" placeholder="posture-console" {...register('source' as never, optional)} error={err('source')} />
        <TextInput label="Sourcetype (optional)" placeholder="_json" {...register('sourcetype' as never, optional)} error={err('sourcetype')} />
      </Group>
      <Controller
        control={control}
        name={'useAck' as never}
        render={({ field }) => (
          <Switch
            label="Wait for indexer acknowledgement"
            description="A 200 from HEC means received, not indexed. With this on, a batch counts as delivered only once Splunk confirms indexing (the token must have acknowledgement enabled)."
            checked={field.value as boolean}
            onChange={(e) => field.onChange(e.currentTarget.checked)}
          />
        )}
      />
      {useAck && (
        <Group align="flex-end" wrap="nowrap">
          <TextInput
            style={{ flex: 1 }}
            label="Channel (GUID)"
            description="Any GUID; keep it stable for this sink."
            required
            spellCheck={false}
            {...register('channel' as never, optional)}
            error={err('channel')}
          />
          <Button
            variant="default"
            onClick={() => setValue('channel' as never, crypto.randomUUID() as never, { shouldValidate: true, shouldDirty: true })}
            mb={err('channel') ? 22 : 0}
          >
            Generate
          </Button>
        </Group>
      )}
    </>
  );
}

/** "Name: value" lines to a header record; a line without a colon keeps its text as a name so the schema names it. */
export function parseHeaderLines(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const at = line.indexOf(':');
    if (at < 0) out[line.trim()] = '';
    else out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return Object.keys(out).length ? out : undefined;
}

function headerLines(headers: Record<string, string> | undefined): string {
  return Object.entries(headers ?? {})
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}

export function OtlpFields({ form, err }: Props) {
  const { register, control } = form;
  /** The contract's own verdict on the headers alone (a credential-looking name, a bad header name). */
  const headerProblem = (headers: Record<string, string> | undefined) => {
    const parsed = SinkInput.safeParse({ ...form.getValues(), headers });
    return parsed.success ? undefined : parsed.error.issues.find((i) => i.path[0] === 'headers')?.message;
  };
  return (
    <>
      <TextInput
        label="service.name"
        description="The resource attribute the collector files these logs under."
        {...register('serviceName' as never)}
        error={err('serviceName')}
      />
      <Controller
        control={control}
        name={'headers' as never}
        render={({ field }) => <HeaderLines value={field.value as Record<string, string> | undefined} onChange={field.onChange} check={headerProblem} />}
      />
    </>
  );
}

function HeaderLines({
  value,
  onChange,
  check,
}: {
  value: Record<string, string> | undefined;
  onChange: (v: Record<string, string> | undefined) => void;
  check: (v: Record<string, string> | undefined) => string | undefined;
}) {
  // The text is kept as typed; only its parse goes to the form, so a half-typed line is not rewritten.
  const [text, setText] = useState(() => headerLines(value));
  const [problem, setProblem] = useState<string | undefined>(undefined);
  return (
    <Textarea
      label="Extra headers (optional)"
      description="One per line, Name: value — e.g. X-Scope-OrgID: soc. Not secret: credentials go in the token field."
      rows={2}
      spellCheck={false}
      value={text}
      onChange={(e) => {
        const headers = parseHeaderLines(e.currentTarget.value);
        setText(e.currentTarget.value);
        setProblem(check(headers));
        onChange(headers);
      }}
      error={problem}
    />
  );
}
