// The condition language for CodeMirror: a small tokenizer for highlighting, completion from
// `rules.complete`, and inline diagnostics from `rules.check` (the core owns the grammar; this only paints).
import { autocompletion, type Completion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { StreamLanguage } from '@codemirror/language';
import { linter, type Diagnostic } from '@codemirror/lint';
import { EditorView } from '@codemirror/view';
import { ConditionKeyword, type CompletionKind, type RuleDiagnostic } from '../../../src-shared/schemas/rules';
import { fetchConditionCheck, fetchConditionCompletion } from '../../api/rules';

const keywords = new Set(ConditionKeyword.options.map((k) => k.toLowerCase()));
const constants = new Set(['true', 'false', 'null']);

export const conditionLanguage = StreamLanguage.define<null>({
  name: 'detection-condition',
  startState: () => null,
  token(stream) {
    if (stream.eatSpace()) return null;
    const quote = stream.peek();
    if (quote === "'" || quote === '"') {
      stream.next();
      let escaped = false;
      while (!stream.eol()) {
        const ch = stream.next();
        if (escaped) escaped = false;
        else if (ch === '\\') escaped = true;
        else if (ch === quote) break;
      }
      return 'string';
    }
    if (stream.match(/^-?\d+(\.\d+)?(e[+-]?\d+)?/i)) return 'number';
    if (stream.match(/^[A-Za-z_][\w.]*/)) {
      const word = stream.current().toLowerCase();
      if (constants.has(word)) return 'atom';
      return keywords.has(word) ? 'keyword' : 'variableName';
    }
    if (stream.match(/^(>=|<=|!=|==|=|>|<)/)) return 'operator';
    if (stream.match(/^[(),]/)) return 'punctuation';
    stream.next();
    return 'invalid';
  },
  languageData: { closeBrackets: { brackets: ['(', "'", '"'] } },
});

/** What the admin reads for a diagnostic: the message, then the suggestion. */
export function diagnosticText(d: Pick<RuleDiagnostic, 'message' | 'suggestion'>): string {
  return d.suggestion ? `${d.message} — ${d.suggestion}` : d.message;
}

/** The condition with a diagnostic's replacement applied. */
export function applyReplacement(condition: string, d: RuleDiagnostic): string {
  return condition.slice(0, d.from) + (d.replacement ?? '') + condition.slice(d.to);
}

const completionTypes: Record<CompletionKind, string> = { field: 'variable', operator: 'keyword', keyword: 'keyword', value: 'constant' };

async function completeFromCore(context: CompletionContext): Promise<CompletionResult | null> {
  const before = context.state.sliceDoc(Math.max(0, context.pos - 1), context.pos);
  // Typing a space or a bracket is no reason to open a list; an explicit request (Ctrl+Space) always is.
  if (!context.explicit && !/[\w.'"]/.test(before)) return null;
  const answer = await fetchConditionCompletion(context.state.doc.toString(), context.pos).catch(() => null);
  if (!answer || context.aborted || answer.options.length === 0) return null;
  const options: Completion[] = answer.options.map((o) => ({
    label: o.label,
    apply: o.apply ?? o.label,
    detail: o.detail,
    info: o.info,
    type: completionTypes[o.kind],
  }));
  // CodeMirror narrows the list as the word grows; a space or operator asks the core again, so a
  // late answer for an earlier word is never left on screen.
  return { from: answer.from, to: answer.to, options, validFor: /^[\w.]*$/ };
}

function toLint(d: RuleDiagnostic, length: number): Diagnostic {
  const from = Math.min(d.from, length);
  const replacement = d.replacement;
  return {
    from,
    to: Math.min(Math.max(d.to, from), length),
    severity: d.severity,
    source: d.code,
    message: diagnosticText(d),
    actions:
      replacement === undefined
        ? []
        : [
            {
              name: `Replace with ${replacement}`,
              apply: (view, at, to) => view.dispatch({ changes: { from: at, to, insert: replacement } }),
            },
          ],
  };
}

const checkInline = linter(
  async (view) => {
    const text = view.state.doc.toString();
    const answer = await fetchConditionCheck(text).catch(() => null);
    return answer ? answer.diagnostics.map((d) => toLint(d, text.length)) : [];
  },
  { delay: 150 },
);

/** Everything the condition editor adds to CodeMirror's basic setup; `label` names the editable area for screen readers. */
export function conditionExtensions(label: string) {
  return [
    conditionLanguage,
    autocompletion({ override: [completeFromCore], activateOnTyping: true }),
    checkInline,
    EditorView.lineWrapping,
    EditorView.contentAttributes.of({ 'aria-label': label }),
  ];
}
