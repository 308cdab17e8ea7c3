import { createTheme, type CSSVariablesResolver } from '@mantine/core';

/** Calm, dense defaults for an admin console; shades chosen for WCAG AA contrast in both schemes. */
export const theme = createTheme({
  primaryColor: 'indigo',
  // Darker shades in light mode: filled buttons and "light" chips (Pass, Healthy) reach 4.5:1.
  primaryShade: { light: 8, dark: 8 },
  // Text on filled surfaces turns dark where white would not reach 4.5:1 (yellow, lime, light teal).
  autoContrast: true,
  luminanceThreshold: 0.2,
  defaultRadius: 'sm',
  fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  fontFamilyMonospace: '"JetBrains Mono", ui-monospace, SFMono-Regular, Menlo, monospace',
  components: {
    Table: { defaultProps: { verticalSpacing: 4, horizontalSpacing: 'sm', fz: 'sm' } },
    // Links inside text are underlined, so they are not told apart by colour alone.
    Anchor: { defaultProps: { underline: 'always' } },
    // A closed dropdown is not in the DOM: Mantine keeps it mounted (hidden) by default, so every Select rendered all its
    // options into a portal and positioned the hidden dropdown (forced style and layout) in the frame that first showed it.
    Combobox: { defaultProps: { keepMounted: false } },
  },
});

/** Secondary text one step darker (light) / lighter (dark) than Mantine's default, for contrast. */
const chipColors = ['blue', 'cyan', 'grape', 'gray', 'green', 'indigo', 'lime', 'orange', 'pink', 'red', 'teal', 'violet', 'yellow'] as const;
/** Mantine's orange, yellow and lime stay below 4.5:1 as text even at shade 9: darker inks for light mode. */
const inks: Partial<Record<(typeof chipColors)[number], string>> = { orange: '#b53c0c', yellow: '#8a5200', lime: '#4d6b0a' };

export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': t.colors.gray[7]!,
    // "Light" chips and the active navigation item: shade 9 reaches 4.5:1 on its tinted background.
    ...Object.fromEntries(
      chipColors.flatMap((c) => {
        const ink = inks[c] ?? t.colors[c]![9]!;
        return [
          [`--mantine-color-${c}-light-color`, ink],
          [`--mantine-color-${c}-light`, t.colors[c]![0]!],
          [`--mantine-color-${c}-text`, ink],
          [`--mantine-color-${c}-outline`, ink],
        ];
      }),
    ),
    '--mantine-primary-color-light': t.colors.indigo[0]!,
    '--mantine-primary-color-light-hover': t.colors.indigo[1]!,
    '--mantine-primary-color-light-color': t.colors.indigo[9]!,
  },
  dark: {
    '--mantine-color-dimmed': t.colors.dark[1]!,
    ...Object.fromEntries(
      chipColors.flatMap((c) => [
        [`--mantine-color-${c}-light-color`, t.colors[c]![3]!],
        [`--mantine-color-${c}-text`, t.colors[c]![4]!],
      ]),
    ),
  },
});
