// Small readers that turn FHIR datatypes into column values.
import { TZDate } from '@date-fns/tz';
import type { Address, CodeableConcept, ContactPoint, Extension, HumanName, Identifier, Meta } from './fhirTypes.ts';
import { CONFIDENTIALITY_SYSTEM } from './systems.ts';

/** The code from the given system, if the concept has one. */
export function codeFrom(concept: CodeableConcept | undefined, system: string): string | null {
  return concept?.coding?.find((c) => c.system === system && c.code)?.code ?? null;
}

/** The first code of any of the concepts in the given system. */
export function codeFromAny(concepts: readonly CodeableConcept[] | undefined, system: string): string | null {
  for (const concept of concepts ?? []) {
    const found = codeFrom(concept, system);
    if (found) return found;
  }
  return null;
}

/** Words a person reads: the concept's text, else its first display. */
export function textOf(concept: CodeableConcept | undefined): string | null {
  return concept?.text ?? concept?.coding?.find((c) => c.display)?.display ?? null;
}

export function identifierValue(identifiers: readonly Identifier[] | undefined, system: string): string | null {
  return identifiers?.find((i) => i.system === system && i.value)?.value?.trim() ?? null;
}

/** "system|value" of the first identifier: two items sharing it are copies of one item. */
export function businessIdentifier(identifiers: readonly Identifier[] | undefined): string | null {
  const first = identifiers?.find((i) => i.value);
  return first ? `${first.system ?? ''}|${first.value}` : null;
}

/** The official name, else the first one. */
export function personName(names: readonly HumanName[] | undefined): { family: string; given: string } {
  const name = names?.find((n) => n.use === 'official') ?? names?.[0];
  return { family: name?.family?.trim() ?? '', given: (name?.given ?? []).join(' ').trim() };
}

export function telecom(points: readonly ContactPoint[] | undefined, system: 'phone' | 'email' | 'fax'): string | null {
  return points?.find((p) => p.system === system && p.value)?.value ?? null;
}

export function addressColumns(addresses: readonly Address[] | undefined) {
  const first = addresses?.[0];
  return {
    address_line: first?.line?.join(', ') || null,
    city: first?.city ?? null,
    state: first?.state ?? null,
    postal_code: first?.postalCode ?? null,
  };
}

export function extensionBoolean(extensions: readonly Extension[] | undefined, url: string): boolean {
  return extensions?.find((e) => e.url === url)?.valueBoolean === true;
}

/**
 * An instant for a FHIR date or dateTime. A dateTime with a time carries its offset; a bare or
 * partial date means the start of that day in the hospital's time zone.
 */
export function instant(value: string | undefined, timeZone: string): Date | null {
  if (!value) return null;
  if (value.includes('T')) return new Date(value);
  const [year = 0, month = 1, day = 1] = value.split('-').map(Number);
  return new Date(new TZDate(year, month - 1, day, timeZone).getTime());
}

/** The calendar date of a FHIR date or dateTime (as written, without converting zones). */
export function calendarDate(value: string | undefined): string | null {
  return value && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : null;
}

/**
 * Security labels: confidentiality R (restricted) or V (very restricted) makes an item
 * confidential; other labels (HIV, ETH, PSY …) are kept for the release policy's lists.
 */
export function securityLabels(meta: Meta | undefined): { confidential: boolean; sensitivityLabels: string[] } {
  let confidential = false;
  const sensitivityLabels: string[] = [];
  for (const label of meta?.security ?? []) {
    if (!label.code) continue;
    if (label.system === CONFIDENTIALITY_SYSTEM || label.system === undefined) {
      if (label.code === 'R' || label.code === 'V') confidential = true;
      if (label.system === CONFIDENTIALITY_SYSTEM) continue;
    }
    if (label.code !== 'R' && label.code !== 'V') sensitivityLabels.push(label.code);
  }
  return { confidential, sensitivityLabels };
}

/** Release columns every judged item carries; an item with meta.source came from outside. */
export function releaseColumns(resource: { meta?: Meta | undefined; identifier?: Identifier[] | undefined }) {
  const { confidential, sensitivityLabels } = securityLabels(resource.meta);
  return {
    confidential,
    sensitivity_labels: sensitivityLabels,
    source_system: resource.meta?.source ?? null,
    is_external: Boolean(resource.meta?.source),
    business_identifier: businessIdentifier(resource.identifier),
  };
}
