// Token colours for the condition editor with at least 4.5:1 contrast on each scheme's background
// (the stock one-dark palette falls short for keywords).
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorView } from '@codemirror/view';
import { tags } from '@lezer/highlight';

const palette = {
  light: { keyword: '#7b2cbf', string: '#0b6e36', number: '#a23b00', atom: '#005f99', property: '#1d3f9e', operator: '#343a40', invalid: '#b00020' },
  dark: { keyword: '#d0a8ff', string: '#8fe3a8', number: '#ffc078', atom: '#74c0fc', property: '#a5b4fc', operator: '#dee2e6', invalid: '#ff8a8a' },
};

export function conditionHighlight(scheme: 'light' | 'dark') {
  const c = palette[scheme];
  return syntaxHighlighting(
    HighlightStyle.define([
      { tag: tags.keyword, color: c.keyword, fontWeight: '600' },
      { tag: tags.string, color: c.string },
      { tag: tags.number, color: c.number },
      { tag: tags.atom, color: c.atom },
      { tag: [tags.propertyName, tags.variableName], color: c.property },
      { tag: [tags.operator, tags.punctuation], color: c.operator },
      { tag: tags.invalid, color: c.invalid, textDecoration: 'underline wavy' },
    ]),
  );
}

/** A plain dark editor surface; the token colours come from conditionHighlight('dark'), not one-dark. */
export const conditionDarkTheme = EditorView.theme(
  {
    '&': { backgroundColor: 'var(--mantine-color-dark-7)', color: 'var(--mantine-color-dark-0)' },
    '.cm-content': { caretColor: 'var(--mantine-color-dark-0)' },
    '.cm-gutters': { backgroundColor: 'var(--mantine-color-dark-7)', color: 'var(--mantine-color-dark-2)', border: 'none' },
    '&.cm-focused .cm-selectionBackground, .cm-selectionBackground': { backgroundColor: 'var(--mantine-color-dark-4)' },
  },
  { dark: true },
);
