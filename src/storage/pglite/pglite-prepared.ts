import type { PGliteLike, PGliteResults } from './pglite-like.js';

/** What PGlite exposes for running its wire protocol directly (structural, as in PGliteLike). */
export interface PGliteProtocol {
  execProtocol(message: Uint8Array, options?: { syncToFs?: boolean }): Promise<{ messages: unknown[] }>;
  readonly serializers: Record<number, (value: unknown) => string>;
  readonly parsers: Record<number, (value: string, typeId?: number) => unknown>;
}

type Module = typeof import('@electric-sql/pglite');

interface Statement {
  readonly name: string;
  readonly types: number[];
}

/**
 * Named prepared statements on PGlite, for the hot-path statements (the CTEs of a step's start and
 * end, see SqlText): PGlite's query() parses, describes and plans its text on every call, inside
 * WebAssembly, which costs more than running it. Here each text is parsed once (Parse with a name,
 * Describe for its parameter types), and every call is Bind, Describe, Execute, Sync: the plan is
 * PostgreSQL's prepared-statement plan cache. Only used under the driver's connection mutex.
 */
export class PGlitePrepared {
  readonly #pglite: PGliteLike & PGliteProtocol;
  readonly #statements = new Map<string, Statement>();
  #module: Module | undefined;

  constructor(pglite: PGliteLike & PGliteProtocol) {
    this.#pglite = pglite;
  }

  static supports(pglite: PGliteLike): pglite is PGliteLike & PGliteProtocol {
    const p = pglite as Partial<PGliteProtocol>;
    return typeof p.execProtocol === 'function' && p.serializers !== undefined && p.parsers !== undefined;
  }

  async query<R>(text: string, params: readonly unknown[]): Promise<PGliteResults<R>> {
    const m = (this.#module ??= await import('@electric-sql/pglite'));
    const { serialize } = m.protocol;
    const statement = this.#statements.get(text) ?? (await this.#prepare(m, text));
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serializer = this.#pglite.serializers[statement.types[i]!];
      return serializer ? serializer(value) : String(value);
    });
    // Bind, Describe, Execute and Sync in one buffer: PGlite runs every message of a buffer in one
    // call into WebAssembly; after an error the server skips to the Sync, so the connection is
    // ready again either way, and the error is thrown once every message has run.
    const messages = await this.#exec(concat([serialize.bind({ statement: statement.name, values }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()]), true);
    return m.parse.parseResults(messages as never, this.#pglite.parsers as never)[0] as unknown as PGliteResults<R>;
  }

  async #prepare(m: Module, text: string): Promise<Statement> {
    const { serialize } = m.protocol;
    const name = `sluice_p${this.#statements.size + 1}`;
    let types: number[];
    try {
      await this.#exec(serialize.parse({ name, text }));
      types = m.parse.parseDescribeStatementResults((await this.#exec(serialize.describe({ type: 'S', name }))) as never);
    } finally {
      await this.#exec(serialize.sync());
    }
    const statement = { name, types };
    this.#statements.set(text, statement);
    return statement;
  }

  async #exec(message: Uint8Array, syncToFs = false): Promise<unknown[]> {
    return (await this.#pglite.execProtocol(message, { syncToFs })).messages;
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
