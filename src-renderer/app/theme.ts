import { createTheme, type CSSVariablesResolver } from '@mantine/core';

/** Calm, dense defaults for an admin console; shades chosen for WCAG AA contrast in both schemes. */
export const theme = createTheme({
  primaryColor: 'indigo',
  // Darker shades in light mode: filled buttons and "light" chips (Pass, Healthy) reach 4.5:1.
  primaryShade: { light: 8, dark: 6 },
  defaultRadius: 'sm',
  fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  fontFamilyMonospace: '"JetBrains Mono", ui-monospace, SFMono-Regular, Menlo, monospace',
  components: {
    Table: { defaultProps: { verticalSpacing: 4, horizontalSpacing: 'sm', fz: 'sm' } },
  },
});

/** Secondary text one step darker (light) / lighter (dark) than Mantine's default, for contrast. */
export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: { '--mantine-color-dimmed': t.colors.gray[7]! },
  dark: { '--mantine-color-dimmed': t.colors.dark[1]! },
});
