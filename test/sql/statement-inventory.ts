/**
 * Every SQL statement the product can emit, read from the code itself (not from a hand-kept list):
 * - each templates/*.sql.hbs, every line that starts a statement (the nested EXECUTE JOB SERVICE included);
 * - each string / template literal (and `'…' + '…'` chain) in the product's TypeScript whose text starts with
 *   a statement keyword and reads as SQL (no prose word), with `${…}` shown as `…`;
 * - a leading `${what}` that is a parameter of the enclosing function is expanded with the string literals
 *   passed for it at the call sites (`SHOW ${what} LIKE …` → `SHOW STREAMS LIKE …`).
 * docs/sql.md must list each one (test/sql/sql-reference.test.ts).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const REPO = path.resolve(import.meta.dirname, '../..');
/** Product code (the CLI and the worker); `shared/` exists after the restructure (issue 11). */
export const PRODUCT_DIRS = ['src', 'worker', 'shared'];

export interface EmittedStatement {
  /** Path from the repository root, e.g. `src/operate/service-logs.ts` or `templates/task.sql.hbs`. */
  file: string;
  /** Normalised text (one line, `…` for values filled in at run time). */
  text: string;
  /** What a docs/sql.md row must start with: the text up to the first `…`, at most six words. */
  head: string;
}

const VERBS = ['SELECT', 'SHOW', 'DESC', 'DESCRIBE', 'CREATE', 'ALTER', 'DROP', 'INSERT', 'DELETE', 'MERGE', 'UPDATE', 'USE', 'CALL', 'EXECUTE', 'GRANT', 'REVOKE', 'BEGIN', 'COMMIT', 'ROLLBACK', 'TRUNCATE', 'WITH', 'UNDROP'];
/** Verbs complete without an object name; any other verb followed only by capital words is a privilege name ('CREATE SCHEMA'). */
const STANDALONE = new Set(['SELECT', 'SHOW', 'BEGIN', 'COMMIT', 'ROLLBACK', 'WITH']);
const VERB_RE = new RegExp(`^(${VERBS.map((v) => v.replace('$', '\\$')).join('|')})\\b`);

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Strips quoted parts ('…', "…", $$…$$) and placeholders, then looks for a lowercase word: prose, not SQL. */
function isProse(text: string): boolean {
  const bare = text.replace(/\$\$[\s\S]*?\$\$/g, ' ').replace(/'(?:[^']|'')*'/g, ' ').replace(/"(?:[^"]|"")*"/g, ' ').replace(/…/g, ' ');
  return /\b[a-z][a-z]+\b/.test(bare);
}

export function classify(text: string): boolean {
  const sql = squash(text);
  const verb = VERB_RE.exec(sql)?.[1];
  if (!verb || isProse(sql)) return false;
  const rest = sql.slice(verb.length).trim();
  if (rest === '') return false;
  if (STANDALONE.has(verb)) return true;
  return !/^[A-Z_ ]+$/.test(rest);
}

export function headOf(text: string): string {
  return squash(text.split('…')[0] ?? '').split(' ').slice(0, 6).join(' ').trim();
}

function listFiles(dir: string, ext: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (entry === 'node_modules') return [];
    return statSync(full).isDirectory() ? listFiles(full, ext) : ext.test(entry) ? [full] : [];
  });
}

// ---- templates ----

export function templateStatements(): EmittedStatement[] {
  return listFiles(path.join(REPO, 'templates'), /\.sql\.hbs$/).flatMap((full) => {
    const file = path.relative(REPO, full);
    const body = readFileSync(full, 'utf8').replace(/\{\{!--[\s\S]*?--\}\}/g, '');
    return body.split('\n').flatMap((line) => {
      const raw = line.trim();
      // Values and block helpers become `…` / nothing; the words before the first value form the head.
      const text = squash(raw.replace(/\{\{[#/^][^}]*\}\}/g, '').replace(/\{\{else\}\}/g, '').replace(/\{\{[^}]*\}\}/g, '…'));
      return VERB_RE.test(text) ? [{ file, text, head: headOf(raw.replace(/\{\{[^}]*\}\}[\s\S]*$/, '…')) }] : [];
    });
  });
}

// ---- TypeScript literals ----

interface Piece { node: ts.Node; text: string; leadingParam?: { fn: string; index: number } }

function literalText(node: ts.Expression, pieces: (string | ts.Expression)[]): void {
  if (ts.isParenthesizedExpression(node)) return literalText(node.expression, pieces);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return void pieces.push(node.text);
  if (ts.isTemplateExpression(node)) {
    pieces.push(node.head.text);
    for (const span of node.templateSpans) pieces.push(span.expression, span.literal.text);
    return;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    literalText(node.left, pieces);
    literalText(node.right, pieces);
    return;
  }
  pieces.push(node);
}

const isStringish = (node: ts.Node) => ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node);
const isPlus = (node: ts.Node | undefined): node is ts.BinaryExpression => !!node && ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken;

function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) if (ts.isFunctionLike(n) && 'body' in n) return n as ts.FunctionLikeDeclaration;
  return undefined;
}

function functionName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  const parent = fn.parent;
  return parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) ? parent.name.text : undefined;
}

function piecesOf(source: ts.SourceFile): Piece[] {
  const found: Piece[] = [];
  const visit = (node: ts.Node): void => {
    // A string literal type (`'a' | 'b'`) is not text the code sends.
    const outermost = (isStringish(node) || isPlus(node)) && !isPlus(node.parent) && !ts.isLiteralTypeNode(node.parent);
    if (outermost && (isStringish(node) || (isPlus(node) && containsString(node)))) {
      const parts: (string | ts.Expression)[] = [];
      literalText(node as ts.Expression, parts);
      const text = parts.map((p) => (typeof p === 'string' ? p : '…')).join('');
      const first = parts.find((p) => typeof p !== 'string' || p.trim() !== '');
      const piece: Piece = { node, text };
      const fn = enclosingFunction(node);
      if (first && typeof first !== 'string' && ts.isIdentifier(first) && fn) {
        const index = fn.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === first.text);
        const name = functionName(fn);
        if (index >= 0 && name) piece.leadingParam = { fn: name, index };
      }
      // `SHOW ${what} …`: the verb is in the literal, the parameter right after it.
      if (typeof parts[0] === 'string' && VERB_RE.test(parts[0].trim()) && parts[0].trim().split(/\s+/).length === 1 && parts[1] && typeof parts[1] !== 'string' && ts.isIdentifier(parts[1]) && fn) {
        const id = parts[1];
        const index = fn.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === id.text);
        const name = functionName(fn);
        if (index >= 0 && name) piece.leadingParam = { fn: name, index };
      }
      found.push(piece);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function containsString(node: ts.Node): boolean {
  let yes = false;
  const walk = (n: ts.Node) => {
    if (isStringish(n)) yes = true;
    else if (isPlus(n) || ts.isParenthesizedExpression(n)) ts.forEachChild(n, walk);
  };
  ts.forEachChild(node, walk);
  return yes;
}

/** String literal arguments passed at `index` in calls to `fn`, across the product's files. */
function literalArguments(sources: ts.SourceFile[], fn: string, index: number): string[] {
  const values = new Set<string>();
  for (const source of sources) {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === fn) {
        const arg = node.arguments[index];
        if (arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg))) values.add(arg.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return [...values];
}

export function codeStatements(): EmittedStatement[] {
  const files = PRODUCT_DIRS.flatMap((dir) => listFiles(path.join(REPO, dir), /\.ts$/)).filter((f) => !f.endsWith('.d.ts'));
  const sources = files.map((f) => ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true));
  const out: EmittedStatement[] = [];
  for (const source of sources) {
    const file = path.relative(REPO, source.fileName);
    for (const piece of piecesOf(source)) {
      const text = squash(piece.text);
      if (!classify(text)) continue;
      const expansions = piece.leadingParam ? literalArguments(sources, piece.leadingParam.fn, piece.leadingParam.index) : [];
      if (expansions.length === 0) out.push({ file, text, head: headOf(text) });
      else for (const value of expansions) {
        const expanded = text.replace('…', value);
        out.push({ file, text: expanded, head: headOf(expanded) });
      }
    }
  }
  return out;
}

export function emittedStatements(): EmittedStatement[] {
  return [...templateStatements(), ...codeStatements()];
}
