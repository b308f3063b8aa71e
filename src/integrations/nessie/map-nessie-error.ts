import { didYouMean } from '../../core/suggest.js';
import { formatContentKey, keyElements } from './content-key.js';
import { NessieError, type NessieErrorData } from './nessie-error.js';
import type { NessieErrorBody } from './nessie-types.js';

/** What the client knew about a request when it failed. */
export interface NessieRequestContext {
  /** `merge "dev" into "main"`, `get reference "dev"`, ... */
  readonly operation: string;
  readonly endpoint: string;
  /** The references the request names, the main one first. */
  readonly references?: readonly string[];
  /** Expected HEAD of the first reference, for "moved since" conflicts. */
  readonly expectedHash?: string;
  /** `branch`, `tag` or `reference`: how messages call the first reference. */
  readonly refKind?: string;
  /** What a 409 refused: a commit, a merge (references: target, source), or a reference change. */
  readonly write?: 'commit' | 'merge';
  /** The content key a content read is about. */
  readonly key?: readonly string[];
}

/** `ReferenceConflicts` error details (sent when the request carries `Nessie-Client-Spec: 2`). */
interface ConflictDetails {
  readonly type?: string;
  readonly conflicts?: ReadonlyArray<{ readonly conflictType?: string; readonly key?: unknown; readonly message?: string }>;
}

type Conflict = { readonly type: string; readonly key?: string; readonly message?: string };

const short = (hash: string | undefined) => (hash && hash.length > 12 ? hash.slice(0, 12) : hash);

/**
 * Maps an HTTP error answer of Nessie to a NessieError. Status and `errorCode` follow
 * `org.projectnessie.error.ErrorCode` (REFERENCE_NOT_FOUND 404, REFERENCE_CONFLICT and
 * REFERENCE_ALREADY_EXISTS 409, BAD_REQUEST 400, FORBIDDEN 403, TOO_MANY_REQUESTS 429,
 * SERVICE_UNAVAILABLE 503); 401 comes without a Nessie body from the auth layer. `redact` removes
 * the token from anything the server echoed.
 */
export function mapHttpError(
  ctx: NessieRequestContext,
  status: number,
  body: (NessieErrorBody & { errorDetails?: ConflictDetails }) | undefined,
  redact: (text: string) => string,
  suggestions: readonly string[] = [],
): NessieError {
  const serverMessage = redact(body?.message ?? body?.reason ?? '').trim();
  const errorCode = body?.errorCode;
  const refs = ctx.references ?? [];
  const kind = ctx.refKind ?? 'reference';
  const says = serverMessage ? `; Nessie says: ${serverMessage}` : '';
  const base = { operation: ctx.operation, endpoint: ctx.endpoint, status, ...(errorCode ? { nessieErrorCode: errorCode } : {}), ...(serverMessage ? { serverMessage } : {}) };
  const data = (reference: string | undefined, extra: Partial<NessieErrorData> = {}): NessieErrorData => ({
    ...base,
    ...(reference !== undefined ? { reference } : {}),
    ...extra,
  });

  if (errorCode === 'CONTENT_NOT_FOUND') {
    const key = formatContentKey(ctx.key);
    return new NessieError(
      'NESSIE_CONTENT_NOT_FOUND',
      `no content at key "${key}" on Nessie ${kind} "${refs[0]}" (${ctx.operation}): check the key, or read it on another reference or hash${says}`,
      data(refs[0], { key }),
    );
  }
  if (/No common ancestor/i.test(serverMessage) && ctx.write === 'merge') {
    const [into, from] = refs;
    return new NessieError(
      'NESSIE_NO_COMMON_ANCESTOR',
      `cannot ${ctx.operation}: Nessie finds no common ancestor of the two branches (on Nessie 0.60, a branch created from an empty branch has none once the other gets commits); re-create "${from}" from "${into}", write its changes again, and merge again${says}`,
      data(into),
    );
  }
  const missingCommit = /Could not find commit '([0-9a-fA-F]+)' in reference '([^']*)'/.exec(serverMessage);
  if (missingCommit) {
    const [, hash, reference] = missingCommit as unknown as [string, string, string];
    return new NessieError(
      'NESSIE_COMMIT_NOT_FOUND',
      `commit ${short(hash)} is not on Nessie reference "${reference}" at ${ctx.endpoint} (${ctx.operation}): re-read the reference and use its HEAD or a hash from its log${says}`,
      data(reference, { hash }),
    );
  }
  if (status === 404 || errorCode === 'REFERENCE_NOT_FOUND') {
    const missing = missingReference(refs, serverMessage);
    const label = missing === refs[0] ? kind : 'reference';
    const what = missing === undefined ? 'Nessie reference' : `Nessie ${label} "${missing}"`;
    return new NessieError(
      'NESSIE_REFERENCE_NOT_FOUND',
      `${what} not found at ${ctx.endpoint} (${ctx.operation})${didYouMean(suggestions)}: check the name, or create the reference first${says}`,
      data(missing, suggestions.length > 0 ? { suggestions } : {}),
    );
  }
  if (errorCode === 'REFERENCE_ALREADY_EXISTS') {
    return new NessieError(
      'NESSIE_REFERENCE_EXISTS',
      `Nessie reference "${refs[0]}" already exists at ${ctx.endpoint} (${ctx.operation}): pick another name, or delete the existing one first${says}`,
      data(refs[0]),
    );
  }
  if (status === 409) return mapConflict(ctx, body?.errorDetails, serverMessage, data);
  if (status === 400) {
    return new NessieError('NESSIE_BAD_REQUEST', `Nessie rejected ${ctx.operation} as invalid (HTTP 400)${says}`, data(refs[0]));
  }
  if (status === 401) {
    return new NessieError(
      'NESSIE_UNAUTHORIZED',
      `Nessie at ${ctx.endpoint} refused the credentials (HTTP 401) for ${ctx.operation}: set SLUICE_NESSIE_TOKEN to a valid bearer token`,
      data(refs[0]),
    );
  }
  if (status === 403) {
    return new NessieError(
      'NESSIE_FORBIDDEN',
      `Nessie at ${ctx.endpoint} does not allow ${ctx.operation} (HTTP 403): grant the token's principal that permission, or use another token${says}`,
      data(refs[0]),
    );
  }
  if (status === 429 || status === 503) {
    return new NessieError(
      'NESSIE_UNAVAILABLE',
      `Nessie at ${ctx.endpoint} is ${status === 429 ? 'throttling requests' : 'unavailable'} (HTTP ${status}) during ${ctx.operation}: retry later${says}`,
      data(refs[0]),
    );
  }
  return new NessieError(
    'NESSIE_SERVER_ERROR',
    `Nessie at ${ctx.endpoint} failed ${ctx.operation} with HTTP ${status}${body?.reason ? ` ${redact(body.reason)}` : ''}${says}`,
    data(refs[0]),
    { kind: status >= 500 ? 'internal' : 'input' },
  );
}

/**
 * A 409 other than "already exists": a checked write whose reference moved (`UNEXPECTED_HASH`), a
 * commit Nessie refused per key (namespace absent, key exists, content changed), or a merge whose
 * two sides changed the same keys since they diverged. Nothing was written in any case.
 */
function mapConflict(
  ctx: NessieRequestContext,
  details: ConflictDetails | undefined,
  serverMessage: string,
  data: (reference: string | undefined, extra?: Partial<NessieErrorData>) => NessieErrorData,
): NessieError {
  const refs = ctx.references ?? [];
  const kind = ctx.refKind ?? 'reference';
  const says = serverMessage ? `; Nessie says: ${serverMessage}` : '';
  const listed: Conflict[] = (details?.conflicts ?? []).map((c) => {
    const key = keyElements(c.key);
    return { type: c.conflictType ?? 'UNKNOWN', ...(key ? { key: formatContentKey(key) } : {}), ...(c.message ? { message: c.message } : {}) };
  });
  // Nessie 0.60 lists a refused merge's other keys too, as KEY_CONFLICT with message "UNKNOWN": keep the real ones.
  const real = listed.filter((c) => c.message !== 'UNKNOWN');
  const conflicts = real.length > 0 ? real : listed;
  const onlyHash = conflicts.length > 0 ? conflicts.every((c) => c.type === 'UNEXPECTED_HASH') : /not at expected hash/i.test(serverMessage);
  const extra = { ...(conflicts.length > 0 ? { conflicts } : {}), ...(ctx.expectedHash !== undefined ? { expectedHash: ctx.expectedHash } : {}) };
  if (onlyHash && ctx.expectedHash !== undefined) {
    return new NessieError(
      'NESSIE_REFERENCE_CONFLICT',
      `Nessie ${kind} "${refs[0]}" moved since hash ${short(ctx.expectedHash)} (${ctx.operation}): someone else changed it; re-read it and retry${says}`,
      data(refs[0], extra),
    );
  }
  const keys = [...new Set(conflicts.flatMap((c) => (c.key ? [`'${c.key}'`] : [])))].join(', ');
  if (ctx.write === 'commit') {
    const types = new Set(conflicts.map((c) => c.type));
    const advice = types.has('NAMESPACE_ABSENT')
      ? 'create the namespace first (a NAMESPACE content at its key), then commit again'
      : types.has('KEY_EXISTS')
        ? 'the key already has content: read it and put the new content with its content id'
        : 're-read the branch and its content, then commit again';
    return new NessieError(
      'NESSIE_COMMIT_CONFLICT',
      `Nessie refused ${ctx.operation}${keys ? ` on ${keys}` : ''}: ${advice}${says}`,
      data(refs[0], extra),
    );
  }
  const [into, from] = refs;
  return new NessieError(
    'NESSIE_MERGE_CONFLICT',
    `cannot ${ctx.operation}: both branches changed ${keys || 'the same content'} since they diverged, so Nessie merged nothing and both are as they were; reconcile those tables on "${from ?? 'the source'}" (or re-create it from "${into}") and merge again${says}`,
    data(into, extra),
  );
}

/**
 * Which of a request's references a 404 is about: Nessie names the missing one in its message
 * (`Named reference 'dev' not found`), which matters when a request names two (merge, create).
 */
export function missingReference(references: readonly string[], serverMessage: string): string | undefined {
  return references.find((r) => serverMessage.includes(`'${r}'`) || serverMessage.includes(`"${r}"`)) ?? references[0];
}

/**
 * Maps a request that got no HTTP answer (connection refused, DNS, TLS, timeout) to a NessieError.
 * fetch reports these as a TypeError whose `cause` carries the system error code.
 */
export function mapNetworkError(ctx: NessieRequestContext, error: unknown, timeoutMs: number, redact: (text: string) => string): NessieError {
  const base: NessieErrorData = { operation: ctx.operation, endpoint: ctx.endpoint, ...(ctx.references?.[0] ? { reference: ctx.references[0] } : {}) };
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new NessieError(
      'NESSIE_TIMEOUT',
      `Nessie at ${ctx.endpoint} did not answer ${ctx.operation} within ${timeoutMs} ms: check that the server is healthy, or raise the client's timeoutMs`,
      base,
      { cause: error },
    );
  }
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  const detail = redact(cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error)));
  return new NessieError(
    'NESSIE_UNREACHABLE',
    `cannot reach Nessie at ${ctx.endpoint} (${ctx.operation}): ${detail}: check SLUICE_NESSIE_URI and that the Nessie server is running`,
    base,
    { cause: error },
  );
}

/**
 * The error for a checked write whose reference is no longer where the caller read it: `current`
 * is its HEAD now (re-read after the server refused). Keeps the server's message for context.
 */
export function movedError(ctx: NessieRequestContext, current: string, refused: NessieError): NessieError {
  const kind = ctx.refKind ?? 'reference';
  const reference = ctx.references?.[0] ?? '';
  const moved = `Nessie ${kind} "${reference}" moved since hash ${short(ctx.expectedHash)} (now at ${short(current)})`;
  const data = { ...refused.data, reference, currentHash: current, ...(ctx.expectedHash !== undefined ? { expectedHash: ctx.expectedHash } : {}) };
  if (refused.code === 'NESSIE_MERGE_CONFLICT') {
    // A content conflict stays one (retrying the same merge fails the same way); the move is context.
    return new NessieError('NESSIE_MERGE_CONFLICT', `${moved}, and ${refused.message}`, data, { cause: refused });
  }
  const says = refused.data.serverMessage ? `; Nessie says: ${refused.data.serverMessage}` : '';
  return new NessieError('NESSIE_REFERENCE_CONFLICT', `${moved} (${ctx.operation}): someone else changed it; re-read it and retry${says}`, data, { cause: refused });
}
