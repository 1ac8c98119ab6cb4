/** A cursor over a statement's tokens for the hand-written DDL/SHOW parsers. */
import { syntaxError } from './errors.js';
import { identValue, isIdent, isOp, isWord, matchParen, type Token } from './lexer.js';
import { readChain } from './names.js';

export class Cursor {
  i = 0;
  constructor(readonly sql: string, readonly tokens: Token[]) {}

  peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }

  atEnd(): boolean {
    return this.i >= this.tokens.length;
  }

  /** Consumes the given words in sequence if they are all there. */
  accept(...words: string[]): boolean {
    if (!words.every((w, k) => isWord(this.tokens[this.i + k], w))) return false;
    this.i += words.length;
    return true;
  }

  expect(...words: string[]): void {
    if (!this.accept(...words)) throw this.error();
  }

  acceptOp(op: string): boolean {
    if (!isOp(this.peek(), op)) return false;
    this.i++;
    return true;
  }

  expectOp(op: string): void {
    if (!this.acceptOp(op)) throw this.error();
  }

  error(): Error {
    return syntaxError(this.sql, this.peek()?.pos ?? this.sql.length);
  }

  /** A 1–3 part name. */
  name(maxParts = 3): string[] {
    const chain = readChain(this.tokens, this.i, maxParts);
    if (!chain) throw this.error();
    this.i = chain.end;
    return chain.parts;
  }

  ident(): string {
    const t = this.peek();
    if (!isIdent(t)) throw this.error();
    this.i++;
    return identValue(t);
  }

  string(): string {
    const t = this.peek();
    if (!t || t.type !== 'string') throw this.error();
    this.i++;
    return t.value;
  }

  /** Raw source text from token index `from` to the end of the statement. */
  restText(from = this.i): string {
    const t = this.tokens[from];
    return t ? this.sql.slice(t.pos).trim().replace(/;\s*$/, '') : '';
  }

  /**
   * `KEY = value` properties until a word in `stop` (or the end). Values: strings, numbers, words, and
   * parenthesised lists (kept as their text). Keys are upper-cased.
   */
  properties(stop: string[] = []): Record<string, string> {
    const props: Record<string, string> = {};
    while (!this.atEnd() && !(isWord(this.peek()) && stop.includes(this.peek()!.value))) {
      if (this.accept('WITH')) continue;
      const keyParts: string[] = [];
      while (isWord(this.peek()) && !isOp(this.peek(1), '=') ) keyParts.push(this.ident());
      keyParts.push(this.ident());
      this.expectOp('=');
      props[keyParts.join('_')] = this.value();
      this.acceptOp(',');
    }
    return props;
  }

  value(): string {
    const t = this.peek();
    if (!t) throw this.error();
    if (isOp(t, '(')) {
      const close = matchParen(this.tokens, this.i);
      if (close < 0) throw this.error();
      const inner = this.tokens.slice(this.i + 1, close).map((x) => (x.type === 'string' ? x.value : x.type === 'quoted' ? x.value : x.raw.toUpperCase() === x.value ? x.value : x.value));
      this.i = close + 1;
      return inner.filter((x) => x !== ',').join(',');
    }
    if (isOp(t, '-') && this.peek(1)?.type === 'number') {
      this.i += 2;
      return `-${this.tokens[this.i - 1]!.value}`;
    }
    this.i++;
    if (t.type === 'word' && isOp(this.peek(), '.')) {
      this.i--;
      return this.name().join('.');
    }
    return t.value;
  }
}
