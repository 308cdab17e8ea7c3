import { z } from 'zod';

export const Theme = z.enum(['system', 'light', 'dark']);
export const Density = z.enum(['compact', 'comfortable']);

export const UiSettings = z.object({
  theme: Theme,
  density: Density,
});
export type UiSettings = z.infer<typeof UiSettings>;

export const UiSettingsPatch = UiSettings.partial().strict();
export type UiSettingsPatch = z.infer<typeof UiSettingsPatch>;

/** How secrets are held at rest, in words the Status page can show as is. */
export const SecretStorageInfo = z.object({
  backend: z.string(),
  protected: z.boolean(),
  persisted: z.boolean(),
  explanation: z.string(),
});
export type SecretStorageInfo = z.infer<typeof SecretStorageInfo>;

export const AppInfo = z.object({
  appVersion: z.string(),
  host: z.enum(['electron', 'web', 'cli']),
  versions: z.object({
    node: z.string(),
    electron: z.string().nullable(),
    chromium: z.string().nullable(),
  }),
  dataDir: z.string(),
  /** The OS account running the app: the default "who" on incident timelines. */
  user: z.string(),
  secretStorage: SecretStorageInfo,
  demo: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfo>;
