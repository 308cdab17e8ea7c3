// What a posture source brings to the provider form: its starting values, its vendor setup steps, and its fields.
import type { ComponentType } from 'react';
import type { UseFormReturn } from 'react-hook-form';
import type { z } from 'zod';
import type { ProviderInput, ProviderView } from '../../../../src-shared/schemas/providers';

export type ProviderFormValues = z.input<typeof ProviderInput>;

export interface SectionProps {
  form: UseFormReturn<ProviderFormValues>;
  existing?: ProviderView | undefined;
  /** "Stored 12/6/2026 — leave blank to keep" when a secret is already in the vault. */
  secretHint?: string | undefined;
  err: (name: string) => string | undefined;
}

export interface FormSection {
  defaults: ProviderFormValues;
  /** Where to find each value in the vendor's console, in order. */
  steps: string[];
  Fields: ComponentType<SectionProps>;
}
