// Where entries come from: a bundle already in memory, NDJSON read line by line, or a JSON
// bundle parsed as a stream (stream-json), so a large file never has to fit in memory.
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import parserStream from 'stream-json';
import Assembler from 'stream-json/assembler.js';

/** Where an entry sits in its file: `Bundle.entry[3]` or `line 4`. */
export interface SourceEntry {
  location: string;
  /** The FHIRPath of the entry's resource, for issues: `Bundle.entry[3].resource`, or the type for NDJSON. */
  resourcePath: string;
  fullUrl: string | null;
  /** The id from a transaction entry's `request.url` (`PUT Patient/123`). */
  requestId: string | null;
  resource: unknown;
}

export type SourceItem =
  | { kind: 'entry'; entry: SourceEntry }
  | { kind: 'bundle'; resourceType: unknown; type: unknown }
  | { kind: 'problem'; location: string; expression: string; message: string };

export type EntrySource = AsyncIterable<SourceItem>;

export type SourceFormat = 'json' | 'ndjson';

export function sourceFor(format: SourceFormat, input: Readable): EntrySource {
  return format === 'ndjson' ? entriesFromNdjson(input) : entriesFromJsonStream(input);
}

export async function* entriesFromBundle(bundle: unknown): EntrySource {
  if (!isObject(bundle)) {
    yield { kind: 'problem', location: 'Bundle', expression: 'Bundle', message: 'is not a JSON object' };
    return;
  }
  yield { kind: 'bundle', resourceType: bundle.resourceType, type: bundle.type };
  const entries = bundle.entry ?? [];
  if (!Array.isArray(entries)) {
    yield { kind: 'problem', location: 'Bundle.entry', expression: 'Bundle.entry', message: 'is not a list' };
    return;
  }
  for (const [index, entry] of entries.entries()) yield bundleEntry(entry, index);
}

/** Several bundles imported as one (all or nothing). */
export async function* entriesFromBundles(bundles: Iterable<unknown>): EntrySource {
  for (const bundle of bundles) yield* entriesFromBundle(bundle);
}

/** Listeners are attached at once (not when reading starts), so an early failure is not lost. */
export function entriesFromNdjson(input: Readable): EntrySource {
  // readline ends quietly when its input fails; the failure (a size limit) must not pass for the end.
  const state: { failure?: Error } = {};
  const lines = createInterface({ input, crlfDelay: Infinity });
  input.on('error', (error) => {
    state.failure = error;
    lines.close();
  });
  // Iterating from now on buffers lines that arrive before the reader asks for them.
  const iterator = lines[Symbol.asyncIterator]();
  return ndjsonLines({ [Symbol.asyncIterator]: () => iterator }, state);
}

async function* ndjsonLines(lines: AsyncIterable<string>, state: { failure?: Error }): EntrySource {
  let number = 0;
  for await (const line of lines) {
    if (state.failure) throw state.failure;
    number += 1;
    if (!line.trim()) continue;
    const location = `line ${number}`;
    let resource: unknown;
    try {
      resource = JSON.parse(line);
    } catch {
      yield { kind: 'problem', location, expression: location, message: 'is not valid JSON' };
      continue;
    }
    const type = isObject(resource) && typeof resource.resourceType === 'string' ? resource.resourceType : 'Resource';
    yield { kind: 'entry', entry: { location, resourcePath: type, fullUrl: null, requestId: null, resource } };
  }
  if (state.failure) throw state.failure;
}

/**
 * A JSON bundle, token by token. Each entry is assembled, handed on and dropped, so memory holds
 * one entry at a time; the bundle's own fields are reported when the document ends.
 */
export function entriesFromJsonStream(input: Readable): EntrySource {
  const tokens = input.pipe(parserStream({ packKeys: true, packStrings: true, packNumbers: true, streamValues: false }));
  input.on('error', (error) => tokens.destroy(error));
  // Until reading starts, a parse failure is held by the stream and thrown to the reader then.
  tokens.on('error', () => {});
  return bundleEntries(tokens);
}

async function* bundleEntries(tokens: AsyncIterable<Parameters<Assembler['consume']>[0]>): EntrySource {
  const assembler = new Assembler();
  let index = 0;
  try {
    for await (const token of tokens) {
      assembler.consume(token);
      // Depth 2 inside the top-level "entry" array: an entry was just completed.
      if (assembler.stack.length === 2 && assembler.stack[1] === 'entry' && Array.isArray(assembler.current) && assembler.current.length > 0) {
        yield bundleEntry(assembler.current.pop(), index++);
      }
    }
  } catch (error) {
    if (isTooLarge(error)) throw error;
    yield { kind: 'problem', location: 'Bundle', expression: 'Bundle', message: `is not valid JSON (${(error as Error).message.slice(0, 120)})` };
    return;
  }
  const root: unknown = assembler.current;
  if (!isObject(root)) {
    yield { kind: 'problem', location: 'Bundle', expression: 'Bundle', message: 'is not a JSON object' };
    return;
  }
  yield { kind: 'bundle', resourceType: root.resourceType, type: root.type };
  if (root.entry !== undefined && !Array.isArray(root.entry)) {
    yield { kind: 'problem', location: 'Bundle.entry', expression: 'Bundle.entry', message: 'is not a list' };
  }
}

function bundleEntry(entry: unknown, index: number): SourceItem {
  const location = `Bundle.entry[${index}]`;
  if (!isObject(entry) || !isObject(entry.resource)) {
    return { kind: 'problem', location, expression: `${location}.resource`, message: 'has no resource' };
  }
  const fullUrl = typeof entry.fullUrl === 'string' ? entry.fullUrl : null;
  const requestUrl = isObject(entry.request) && typeof entry.request.url === 'string' ? entry.request.url : '';
  const requestId = /^[A-Za-z]+\/([A-Za-z0-9\-.]{1,64})$/.exec(requestUrl)?.[1] ?? null;
  return { kind: 'entry', entry: { location, resourcePath: `${location}.resource`, fullUrl, requestId, resource: entry.resource } };
}

/** Thrown by a size-limited input: not a problem with the bundle, the whole request is refused. */
export class ImportTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`The import is larger than ${limitBytes} bytes`);
  }
}

function isTooLarge(error: unknown): boolean {
  return error instanceof ImportTooLargeError || (error as { cause?: unknown })?.cause instanceof ImportTooLargeError;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
