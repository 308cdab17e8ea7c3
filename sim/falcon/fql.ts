// A working subset of Falcon Query Language: `field:[op]value` terms joined by `+` (AND) and `,` (OR).
import { lookup } from '../sort';
import { canonicalTime, relativeTime } from '../time';

export class FqlError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at position ${position}`);
  }
}

type Scalar = string | number | boolean | null;
type Op = ':' | '!' | '>' | '>=' | '<' | '<=' | '~' | '!~';

type Node = { kind: 'and'; items: Node[] } | { kind: 'or'; items: Node[] } | { kind: 'term'; path: string[]; op: Op; values: Scalar[] };

export type Predicate = (record: object) => boolean;

const ISO_PREFIX = /^\d{4}-\d{2}-\d{2}T/;

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parse(): Node {
    const node = this.or();
    this.space();
    if (this.pos < this.text.length) throw new FqlError(`unexpected "${this.text[this.pos]}"`, this.pos);
    return node;
  }

  private space(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] ?? '')) this.pos++;
  }

  private peek(): string {
    return this.text[this.pos] ?? '';
  }

  private or(): Node {
    const items = [this.and()];
    while ((this.space(), this.peek() === ',')) {
      this.pos++;
      items.push(this.and());
    }
    return items.length === 1 ? (items[0] as Node) : { kind: 'or', items };
  }

  private and(): Node {
    const items = [this.term()];
    for (;;) {
      const before = this.pos;
      this.space();
      // An unencoded "+" in a query string arrives as a space, so whitespace also joins terms.
      if (this.peek() === '+') this.pos++;
      else if (this.pos === before || this.pos >= this.text.length || this.peek() === ',' || this.peek() === ')') {
        this.pos = before;
        break;
      }
      items.push(this.term());
    }
    return items.length === 1 ? (items[0] as Node) : { kind: 'and', items };
  }

  private term(): Node {
    this.space();
    if (this.peek() === '(') {
      this.pos++;
      const inner = this.or();
      this.space();
      if (this.peek() !== ')') throw new FqlError('missing ")"', this.pos);
      this.pos++;
      return inner;
    }
    const start = this.pos;
    while (/[A-Za-z0-9_.]/.test(this.peek())) this.pos++;
    const field = this.text.slice(start, this.pos);
    if (!field) throw new FqlError('expected a field name', this.pos);
    if (this.peek() !== ':') throw new FqlError(`expected ":" after "${field}"`, this.pos);
    this.pos++;
    const op = this.op();
    this.space();
    const values = this.peek() === '[' ? this.list() : [this.value()];
    return { kind: 'term', path: field.split('.'), op, values };
  }

  private op(): Op {
    for (const op of ['>=', '<=', '!~', '>', '<', '!', '~'] as const) {
      if (this.text.startsWith(op, this.pos)) {
        this.pos += op.length;
        return op;
      }
    }
    return ':';
  }

  private list(): Scalar[] {
    this.pos++;
    const values: Scalar[] = [];
    for (;;) {
      this.space();
      values.push(this.value());
      this.space();
      if (this.peek() === ',') this.pos++;
      else if (this.peek() === ']') {
        this.pos++;
        return values;
      } else throw new FqlError('expected "," or "]" in list', this.pos);
    }
  }

  private value(): Scalar {
    const quote = this.peek();
    if (quote === "'" || quote === '"') {
      const end = this.text.indexOf(quote, this.pos + 1);
      if (end < 0) throw new FqlError('unterminated string', this.pos);
      const value = this.text.slice(this.pos + 1, end);
      this.pos = end + 1;
      return value;
    }
    const start = this.pos;
    while (this.pos < this.text.length && !/[\s+,()\]]/.test(this.peek())) this.pos++;
    const raw = this.text.slice(start, this.pos);
    if (!raw) throw new FqlError('expected a value', start);
    if (raw === 'true' || raw === 'false') return raw === 'true';
    if (raw === 'null') return null;
    return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  }
}

/** Orders two values the way FQL compares them: numbers numerically, timestamps by instant. */
function compareValues(a: unknown, b: unknown, nowMs: number): number {
  if (typeof a === 'number') {
    const n = Number(b);
    return Number.isNaN(n) ? NaN : a - n;
  }
  if (typeof a === 'boolean') return String(a) === String(b) ? 0 : NaN;
  if (typeof a !== 'string') return NaN;
  const other = b === null || b === undefined ? '' : String(b);
  if (ISO_PREFIX.test(a)) {
    const left = canonicalTime(a);
    const right = canonicalTime(relativeTime(other, nowMs) ?? other);
    if (left && right) return left < right ? -1 : left > right ? 1 : 0;
  }
  return a < other ? -1 : a > other ? 1 : 0;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

function scalarMatches(actual: unknown, op: Op, expected: Scalar, nowMs: number): boolean {
  if (actual === undefined || actual === null) return expected === null ? op === ':' : false;
  if (op === '~') return String(actual).toLowerCase().includes(String(expected).toLowerCase());
  if (op === ':' && typeof expected === 'string' && expected.includes('*')) return globToRegExp(expected).test(String(actual));
  const cmp = compareValues(actual, expected, nowMs);
  if (Number.isNaN(cmp)) return false;
  switch (op) {
    case ':':
      return cmp === 0;
    case '>':
      return cmp > 0;
    case '>=':
      return cmp >= 0;
    case '<':
      return cmp < 0;
    case '<=':
      return cmp <= 0;
    default:
      return false;
  }
}

function evaluate(node: Node, record: object, nowMs: number): boolean {
  if (node.kind === 'and') return node.items.every((n) => evaluate(n, record, nowMs));
  if (node.kind === 'or') return node.items.some((n) => evaluate(n, record, nowMs));
  return evaluateTerm(node, record, nowMs);
}

function evaluateTerm(node: Extract<Node, { kind: 'term' }>, record: object, nowMs: number): boolean {
  const actual = lookup(record, node.path);
  const candidates = Array.isArray(actual) ? actual : [actual];
  // Negations hold when no element matches; everything else when any element matches any value.
  if (node.op === '!' || node.op === '!~') {
    const positive: Op = node.op === '!' ? ':' : '~';
    return !candidates.some((a) => node.values.some((v) => scalarMatches(a, positive, v, nowMs)));
  }
  return candidates.some((a) => node.values.some((v) => scalarMatches(a, node.op, v, nowMs)));
}

/** Compiles a filter; an empty filter matches everything. Throws FqlError on a syntax error. */
export function compileFql(filter: string | null | undefined, nowMs: number): Predicate {
  if (!filter || !filter.trim()) return () => true;
  const tree = new Parser(filter).parse();
  return (record) => evaluate(tree, record, nowMs);
}

/** Field names a filter mentions (e.g. to know whether it constrains `deleted`). */
export function fqlFields(filter: string): string[] {
  return [...filter.matchAll(/([A-Za-z0-9_.]+):/g)].map((m) => m[1] ?? '');
}
