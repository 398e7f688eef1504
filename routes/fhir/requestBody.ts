// The import endpoint's own body handling: which format the content type names, and a byte
// limit enforced while the body streams (a Content-Length can be absent or wrong).
import { Transform, type Readable } from 'node:stream';
import { ImportTooLargeError, type SourceFormat } from '../../services/fhirImport/index.ts';

const FORMATS: Readonly<Record<string, SourceFormat>> = {
  'application/fhir+json': 'json',
  'application/json': 'json',
  'application/x-ndjson': 'ndjson',
  'application/fhir+ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
};

export const ACCEPTED_CONTENT_TYPES = Object.keys(FORMATS);

export function formatOf(contentType: string | undefined): SourceFormat | undefined {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return FORMATS[mediaType];
}

/** The request body, failing with ImportTooLargeError once more than `limitBytes` arrive. */
export function limitedBody(request: Readable, limitBytes: number): Readable {
  let received = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      if (received > limitBytes) callback(new ImportTooLargeError(limitBytes));
      else callback(null, chunk);
    },
  });
  request.on('error', (error) => limiter.destroy(error));
  return request.pipe(limiter);
}
