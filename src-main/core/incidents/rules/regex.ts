// Reads `MATCHES '/pattern/flags'` and refuses patterns that are malformed or can backtrack for minutes on one alert.

/** Long enough for real detection patterns, short enough to read and to bound compile work. */
export const MAX_PATTERN_LENGTH = 256;

/** `g` and `y` make RegExp.test remember lastIndex between alerts; the rest have no use here. */
const ALLOWED_FLAGS = new Set(['i', 'm', 's', 'u']);

export type RegexReading =
  | { readonly ok: true; readonly pattern: string; readonly flags: string }
  | { readonly ok: false; readonly message: string; readonly suggestion: string; readonly replacement?: string };

/**
 * The string of a MATCHES operand is raw: backslashes reach the regex engine unchanged and only
 * a backslash before the closing quote character escapes it, so `'/C:\\Windows\\/i'` means what it says.
 */
export function rawStringValue(raw: string, quote: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    const next = raw[i + 1];
    if (c === '\\' && next !== undefined) {
      out += next === quote ? next : c + next;
      i++;
    } else {
      out += c;
    }
  }
  return out;
}

export function readRegex(content: string, quote: string): RegexReading {
  // Split at the last slash by hand: a regex here would backtrack over the whole string at every slash.
  const close = content.lastIndexOf('/');
  const flags = content.slice(close + 1);
  if (!content.startsWith('/') || close <= 0 || !/^[A-Za-z]*$/.test(flags)) {
    const body = content.replaceAll(quote, '\\' + quote);
    return {
      ok: false,
      message: "a MATCHES pattern is written '/pattern/flags'",
      suggestion: `Write ${quote}/${body}/${quote}, or ${quote}/${body}/i${quote} to ignore case.`,
      replacement: `${quote}/${body}/${quote}`,
    };
  }
  const pattern = content.slice(1, close);
  if (pattern.length === 0)
    return { ok: false, message: 'the pattern is empty', suggestion: 'An empty pattern matches everything; write what to look for between the slashes.' };
  if (pattern.length > MAX_PATTERN_LENGTH)
    return {
      ok: false,
      message: `the pattern is ${pattern.length} characters long; the limit is ${MAX_PATTERN_LENGTH}`,
      suggestion: 'Split it into several MATCHES or CONTAINS joined with OR.',
    };
  for (const [i, flag] of [...flags].entries()) {
    if (!ALLOWED_FLAGS.has(flag))
      return {
        ok: false,
        message: flag === 'g' || flag === 'y' ? `the '${flag}' flag makes a pattern depend on the previous alert` : `'${flag}' is not a pattern flag`,
        suggestion: 'Use i (ignore case), m (multi-line), s (dot matches newlines) or u (unicode).',
      };
    if (flags.indexOf(flag) !== i) return { ok: false, message: `the '${flag}' flag is given twice`, suggestion: 'Give each flag once.' };
  }
  try {
    new RegExp(pattern, flags);
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '') : String(error);
    return { ok: false, message: `invalid pattern: ${detail}`, suggestion: 'Escape special characters such as ( ) [ ] . * + ? with a backslash.' };
  }
  const hazard = backtrackingHazard(pattern);
  if (hazard) return { ok: false, message: hazard, suggestion: 'Simplify the pattern, e.g. (ab)+ instead of (a+b?)+, or use CONTAINS.' };
  return { ok: true, pattern, flags };
}

/**
 * Finds the shapes behind catastrophic backtracking: a repeated group that itself repeats
 * (`(a+)+`, `(\w+\s?)*`, `(.*x){9}`) and backreferences. A heuristic, not a proof.
 */
export function backtrackingHazard(pattern: string): string | null {
  const groups: boolean[] = [];
  let repeats = false;
  let i = 0;
  const quantifierAt = (at: number): number => {
    const c = pattern[at];
    if (c === '*' || c === '+') return 1;
    const braces = /^\{\d+(?:,\d*)?\}/.exec(pattern.slice(at));
    return braces ? braces[0].length : 0;
  };
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && pattern[i + 2] === '<')) return 'backreferences can make matching take exponential time';
      i += 2;
    } else if (c === '[') {
      i++;
      if (pattern[i] === ']') i++;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '(') {
      groups.push(repeats);
      repeats = false;
      i++;
      if (pattern[i] === '?') {
        const prefix = /^\?(?::|=|!|<=|<!|<[A-Za-z_$][\w$]*>)/.exec(pattern.slice(i));
        i += prefix ? prefix[0].length : 1;
      }
      continue;
    } else if (c === ')') {
      const inner: boolean = repeats;
      repeats = groups.pop() ?? false;
      i++;
      const length = quantifierAt(i);
      if (length > 0 && inner) return 'a repeated group containing a repetition can make matching take exponential time';
      repeats ||= inner || length > 0;
      i += length;
      continue;
    } else {
      i++;
    }
    const length = quantifierAt(i);
    if (length > 0) {
      repeats = true;
      i += length;
    }
  }
  return null;
}
