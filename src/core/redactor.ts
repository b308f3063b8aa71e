/** What replaces a secret wherever it would have appeared. */
export const REDACTED = '[REDACTED]';

/**
 * Replaces known secret values in strings and in JSON-like values. The secrets are given (the
 * runtime reads them from the environment); values shorter than 4 characters are ignored so that
 * redaction never mangles ordinary text.
 */
export class Redactor {
  private secrets: readonly string[];

  constructor(secrets: Iterable<string>) {
    this.secrets = Redactor.ordered(secrets);
  }

  /** Longest first, so a secret containing another is replaced whole. */
  private static ordered(secrets: Iterable<string>): string[] {
    return [...new Set([...secrets].filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
  }

  /**
   * Adds secrets learned while running: the values of env references a step's config resolved
   * (`"env:VAR"`), so they are redacted like the environment's own secrets from then on.
   */
  add(secrets: Iterable<string>): void {
    const fresh = [...secrets].filter((s) => s.length >= 4 && !this.secrets.includes(s));
    if (fresh.length > 0) this.secrets = Redactor.ordered([...this.secrets, ...fresh]);
  }

  get isEmpty(): boolean {
    return this.secrets.length === 0;
  }

  string(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  }

  /** A deep copy of `value` with every string redacted. */
  value<T>(value: T): T {
    if (this.secrets.length === 0) return value;
    if (typeof value === 'string') return this.string(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.value(v)) as T;
    if (value instanceof Date) return value;
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.value(v);
      return out as T;
    }
    return value;
  }
}

const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_KEY|CREDENTIALS?)$/i;

/**
 * The secret values in an environment: variables named like secrets, the variables listed in
 * `secretEnv`, and the password part of any connection URL (`postgres://u:pw@h/db`).
 */
export function secretsFromEnv(env: Readonly<Record<string, string | undefined>>, secretEnv: Iterable<string> = []): string[] {
  const listed = new Set(secretEnv);
  const out: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    if (SECRET_NAME.test(name) || listed.has(name)) out.push(value);
    const match = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^@\s]+)@/i.exec(value);
    if (match?.[1]) {
      out.push(match[1]);
      try {
        out.push(decodeURIComponent(match[1]));
      } catch {
        // Not percent-encoded: the raw form is already listed.
      }
    }
  }
  return out;
}
