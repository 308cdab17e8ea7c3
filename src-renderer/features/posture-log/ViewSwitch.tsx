// The log's view switch. Mantine's SegmentedControl measures its floating indicator on mount (a forced layout
// in the middle of the first rows' frame), so the first frame shows the same markup with Mantine's own classes
// and CSS-only active background; the measured control replaces it once that frame has painted.
import { SegmentedControl } from '@mantine/core';
import { useId } from 'react';
import { useAfterFirstPaint } from '../../app/after-first-paint';

interface Choice {
  value: string;
  label: string;
}

interface ViewSwitchProps<V extends string> {
  labelledBy: string;
  value: V;
  data: Choice[];
  title: string;
  onChange(value: V): void;
}

/** Same radios and labels as the SegmentedControl renders, without the indicator (the `::before` shows the choice). */
function StaticSegments<V extends string>({ labelledBy, value, data, title, onChange }: ViewSwitchProps<V>) {
  const name = useId();
  const classes = SegmentedControl.classes;
  return (
    <div className={classes.root} role="radiogroup" aria-labelledby={labelledBy} title={title}>
      {data.map((item) => {
        const id = `${name}-${item.value}`;
        const active = item.value === value;
        return (
          <div key={item.value} className={classes.control} data-active={active || undefined}>
            <input
              className={classes.input}
              type="radio"
              id={id}
              name={name}
              value={item.value}
              checked={active}
              data-focus-ring="auto"
              onChange={() => onChange(item.value as V)}
            />
            <label className={classes.label} htmlFor={id} data-active={active || undefined}>
              <span className={classes.innerLabel}>{item.label}</span>
            </label>
          </div>
        );
      })}
    </div>
  );
}

export function ViewSwitch<V extends string>(props: ViewSwitchProps<V>) {
  const painted = useAfterFirstPaint();
  if (!painted) return <StaticSegments {...props} />;
  const { labelledBy, value, data, title, onChange } = props;
  return <SegmentedControl aria-labelledby={labelledBy} value={value} onChange={(v) => onChange(v as V)} data={data} title={title} />;
}
