import { keyElements } from './content-key.js';
import type {
  NessieCommitResult,
  NessieContent,
  NessieContentAt,
  NessieContentKey,
  NessieDiffPage,
  NessieEntriesPage,
  NessieLogEntry,
  NessieLogPage,
  NessieMergeResponse,
  NessieReference,
  NessieReferencesPage,
  NessieServerConfig,
} from './nessie-types.js';

/**
 * Shape checks for the bodies of successful answers. A body that does not match the documented v2
 * shape throws a plain Error naming the field; the client turns it into NESSIE_BAD_RESPONSE, so a
 * proxy's HTML page or a v1 server is reported as such, never read as empty data.
 */
type Json = Record<string, unknown>;

function object(value: unknown, what: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${what} is not a JSON object`);
  return value as Json;
}

function string(o: Json, field: string, what: string): string {
  const v = o[field];
  if (typeof v !== 'string') throw new Error(`${what}.${field} is not a string`);
  return v;
}

function optionalString(o: Json, field: string): string | undefined {
  return typeof o[field] === 'string' ? (o[field] as string) : undefined;
}

function page(o: Json): { hasMore: boolean; token: string | undefined } {
  return { hasMore: o.hasMore === true, token: optionalString(o, 'token') };
}

export function parseReference(value: unknown, what = 'reference'): NessieReference {
  const o = object(value, what);
  const type = string(o, 'type', what).toUpperCase();
  if (type !== 'BRANCH' && type !== 'TAG') throw new Error(`${what}.type is ${JSON.stringify(o.type)}, not BRANCH or TAG`);
  return { type, name: string(o, 'name', what), hash: string(o, 'hash', what) };
}

/** `SingleReferenceResponse`: `{ reference }`. */
export function parseSingleReference(body: unknown): NessieReference {
  return parseReference(object(body, 'response').reference, 'response.reference');
}

export function parseReferencesPage(body: unknown): NessieReferencesPage {
  const o = object(body, 'response');
  if (!Array.isArray(o.references)) throw new Error('response.references is not an array');
  return { references: o.references.map((r, i) => parseReference(r, `response.references[${i}]`)), ...page(o) };
}

export function parseLogPage(body: unknown): NessieLogPage {
  const o = object(body, 'response');
  if (!Array.isArray(o.logEntries)) throw new Error('response.logEntries is not an array');
  const logEntries = o.logEntries.map((e, i): NessieLogEntry => {
    const entry = object(e, `response.logEntries[${i}]`);
    const meta = object(entry.commitMeta, `response.logEntries[${i}].commitMeta`);
    string(meta, 'hash', `response.logEntries[${i}].commitMeta`);
    return entry as unknown as NessieLogEntry;
  });
  return { logEntries, ...page(o) };
}

export function parseMergeResponse(body: unknown): NessieMergeResponse {
  const o = object(body, 'response');
  string(o, 'resultantTargetHash', 'response');
  if (typeof o.wasSuccessful !== 'boolean') throw new Error('response.wasSuccessful is not a boolean');
  return o as unknown as NessieMergeResponse;
}

export function parseServerConfig(body: unknown): NessieServerConfig {
  const o = object(body, 'response');
  string(o, 'defaultBranch', 'response');
  if (typeof o.maxSupportedApiVersion !== 'number') throw new Error('response.maxSupportedApiVersion is not a number');
  return o as unknown as NessieServerConfig;
}

function key(value: unknown, what: string): NessieContentKey {
  const elements = keyElements(value);
  if (!elements) throw new Error(`${what} is not a content key ({ elements: [...] })`);
  return elements;
}

function content(value: unknown, what: string): NessieContent {
  const o = object(value, what);
  string(o, 'type', what);
  return o as unknown as NessieContent;
}

/** `CommitResponse`: `{ targetBranch, addedContents }`. */
export function parseCommitResponse(body: unknown): NessieCommitResult {
  const o = object(body, 'response');
  const added = Array.isArray(o.addedContents) ? o.addedContents : [];
  return {
    branch: parseReference(o.targetBranch, 'response.targetBranch'),
    addedContents: added.map((a, i) => {
      const entry = object(a, `response.addedContents[${i}]`);
      return { key: key(entry.key, `response.addedContents[${i}].key`), contentId: string(entry, 'contentId', `response.addedContents[${i}]`) };
    }),
  };
}

function effectiveReference(value: unknown): NessieContentAt['effectiveReference'] {
  const o = object(value, 'response.effectiveReference');
  const name = optionalString(o, 'name');
  return { type: string(o, 'type', 'response.effectiveReference'), hash: string(o, 'hash', 'response.effectiveReference'), ...(name ? { name } : {}) };
}

/** `ContentResponse`: `{ content, effectiveReference }`. */
export function parseContentResponse(body: unknown): NessieContentAt {
  const o = object(body, 'response');
  return { content: content(o.content, 'response.content'), effectiveReference: effectiveReference(o.effectiveReference) };
}

/** `GetMultipleContentsResponse`: the keys found (absent keys are left out). */
export function parseContentsResponse(body: unknown): { contents: Array<{ key: NessieContentKey; content: NessieContent }>; effectiveReference: NessieContentAt['effectiveReference'] } {
  const o = object(body, 'response');
  if (!Array.isArray(o.contents)) throw new Error('response.contents is not an array');
  return {
    contents: o.contents.map((c, i) => {
      const entry = object(c, `response.contents[${i}]`);
      return { key: key(entry.key, `response.contents[${i}].key`), content: content(entry.content, `response.contents[${i}].content`) };
    }),
    effectiveReference: effectiveReference(o.effectiveReference),
  };
}

/** `EntriesResponse` (v2 calls an entry's key `name`). */
export function parseEntriesPage(body: unknown): NessieEntriesPage {
  const o = object(body, 'response');
  if (!Array.isArray(o.entries)) throw new Error('response.entries is not an array');
  return {
    entries: o.entries.map((e, i) => {
      const entry = object(e, `response.entries[${i}]`);
      const contentId = optionalString(entry, 'contentId');
      return { key: key(entry.name, `response.entries[${i}].name`), type: string(entry, 'type', `response.entries[${i}]`), ...(contentId ? { contentId } : {}) };
    }),
    ...page(o),
  };
}

/** `DiffResponse`. */
export function parseDiffPage(body: unknown): NessieDiffPage {
  const o = object(body, 'response');
  if (!Array.isArray(o.diffs)) throw new Error('response.diffs is not an array');
  return {
    diffs: o.diffs.map((d, i) => {
      const entry = object(d, `response.diffs[${i}]`);
      return {
        key: key(entry.key, `response.diffs[${i}].key`),
        from: entry.from == null ? null : content(entry.from, `response.diffs[${i}].from`),
        to: entry.to == null ? null : content(entry.to, `response.diffs[${i}].to`),
      };
    }),
    ...page(o),
  };
}
