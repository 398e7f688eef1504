// Results and notes: lab observations, diagnostic reports and clinical notes, with the
// fields the release policy judges them by.
import { z } from 'zod';
import { codeableConcept, dateTime, period, quantity, reference, requiredReference, resourceBase } from '../fhirTypes.ts';
import { defineMapper, invalid, mapped, referenceTo, skipped, type ReferenceField } from '../mapping.ts';
import { codeFrom, codeFromAny, instant, releaseColumns, textOf } from '../read.ts';
import { DEPARTMENT_SYSTEM, INTERPRETATION_SYSTEM, LOINC_SYSTEM, OBSERVATION_CATEGORY_SYSTEM, REPORT_CATEGORY_SYSTEM } from '../systems.ts';

const encounterReference = (encounter: { reference?: string | undefined } | undefined, path = 'encounter'): ReferenceField[] =>
  referenceTo(path, encounter?.reference, 'Encounter', 'encounters', 'encounter_id');

/** The test's code: LOINC when given, else the first code. */
function testCode(concept: z.infer<typeof codeableConcept>): string | null {
  return codeFrom(concept, LOINC_SYSTEM) ?? concept.coding?.find((c) => c.code)?.code ?? null;
}

export const observationMapper = defineMapper({
  resourceType: 'Observation',
  tier: 4,
  schema: z.looseObject({
    ...resourceBase,
    status: z.enum(['registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'entered-in-error', 'unknown']),
    category: z.array(codeableConcept).optional(),
    code: codeableConcept,
    subject: requiredReference,
    encounter: reference.optional(),
    effectiveDateTime: dateTime.optional(),
    effectivePeriod: period.optional(),
    issued: dateTime.optional(),
    valueQuantity: quantity.optional(),
    valueString: z.string().optional(),
    valueCodeableConcept: codeableConcept.optional(),
    interpretation: z.array(codeableConcept).optional(),
    referenceRange: z.array(z.looseObject({ low: quantity.optional(), high: quantity.optional(), text: z.string().optional() })).optional(),
  }),
  map(observation, context) {
    const category = codeFromAny(observation.category, OBSERVATION_CATEGORY_SYSTEM);
    if (category !== null && category !== 'laboratory') return skipped(`observations of category "${category}" are not shown in the portals`);
    const code = testCode(observation.code);
    if (!code) return invalid({ path: 'code', message: 'has no code' });
    const range = observation.referenceRange?.[0];
    return mapped({
      table: 'lab_observations',
      columns: {
        code,
        display: textOf(observation.code),
        status: observation.status,
        value_number: observation.valueQuantity?.value ?? null,
        value_text: observation.valueString ?? textOf(observation.valueCodeableConcept),
        unit: observation.valueQuantity?.unit ?? observation.valueQuantity?.code ?? null,
        reference_low: range?.low?.value ?? null,
        reference_high: range?.high?.value ?? null,
        reference_text: range?.text ?? null,
        flag: codeFromAny(observation.interpretation, INTERPRETATION_SYSTEM),
        effective_at: instant(observation.effectiveDateTime ?? observation.effectivePeriod?.start, context.timeZone),
        resulted_at: instant(observation.issued, context.timeZone),
        ...releaseColumns(observation),
      },
      references: [
        ...referenceTo('subject', observation.subject.reference, 'Patient', 'patients', 'patient_id'),
        ...encounterReference(observation.encounter),
      ],
    });
  },
});

export const diagnosticReportMapper = defineMapper({
  resourceType: 'DiagnosticReport',
  tier: 5,
  schema: z.looseObject({
    ...resourceBase,
    status: z.enum(['registered', 'partial', 'preliminary', 'final', 'amended', 'corrected', 'appended', 'cancelled', 'entered-in-error', 'unknown']),
    category: z.array(codeableConcept).optional(),
    code: codeableConcept,
    subject: requiredReference,
    encounter: reference.optional(),
    effectiveDateTime: dateTime.optional(),
    issued: dateTime.optional(),
    result: z.array(requiredReference).optional(),
    conclusion: z.string().optional(),
  }),
  map(report, context) {
    const category = codeFromAny(report.category, REPORT_CATEGORY_SYSTEM);
    if (!category) return invalid({ path: 'category', message: `has no category from ${REPORT_CATEGORY_SYSTEM} (LAB, RAD …)` });
    const code = testCode(report.code);
    if (!code) return invalid({ path: 'code', message: 'has no code' });
    return mapped({
      table: 'diagnostic_reports',
      columns: {
        category,
        code,
        display: textOf(report.code),
        status: report.status,
        conclusion: report.conclusion ?? null,
        effective_at: instant(report.effectiveDateTime, context.timeZone),
        completed_at: instant(report.issued, context.timeZone),
        ...releaseColumns(report),
      },
      references: [
        ...referenceTo('subject', report.subject.reference, 'Patient', 'patients', 'patient_id'),
        ...encounterReference(report.encounter),
      ],
      // The panel's results point back to it.
      links: {
        table: 'lab_observations',
        column: 'report_id',
        references: (report.result ?? []).flatMap((result, index) =>
          referenceTo(`result[${index}]`, result.reference, 'Observation', 'lab_observations', 'id'),
        ),
      },
    });
  },
});

export const documentReferenceMapper = defineMapper({
  resourceType: 'DocumentReference',
  tier: 4,
  schema: z.looseObject({
    ...resourceBase,
    status: z.enum(['current', 'superseded', 'entered-in-error']),
    docStatus: z.enum(['preliminary', 'final', 'amended', 'entered-in-error']).optional(),
    type: codeableConcept,
    subject: requiredReference,
    date: dateTime.optional(),
    author: z.array(reference).optional(),
    content: z.array(z.looseObject({ attachment: z.looseObject({ contentType: z.string().optional(), data: z.string().optional() }) })).min(1, 'is missing'),
    context: z
      .looseObject({ encounter: z.array(reference).optional(), practiceSetting: codeableConcept.optional(), period: period.optional() })
      .optional(),
  }),
  map(note, context) {
    const typeCode = testCode(note.type);
    if (!typeCode) return invalid({ path: 'type', message: 'has no code' });
    const attachment = note.content.find((c) => c.attachment.data && (c.attachment.contentType ?? 'text/plain').startsWith('text/'))?.attachment;
    const author = note.author?.find((a) => a.reference)?.reference;
    return mapped({
      table: 'clinical_notes',
      columns: {
        type_code: typeCode,
        type_display: textOf(note.type),
        department_code: codeFrom(note.context?.practiceSetting, DEPARTMENT_SYSTEM),
        status: note.status,
        // A withdrawn reference is a withdrawn note, whatever its docStatus says.
        doc_status: note.status === 'entered-in-error' ? 'entered-in-error' : (note.docStatus ?? null),
        completed_at: instant(note.date, context.timeZone),
        text: attachment?.data ? Buffer.from(attachment.data, 'base64').toString('utf8') : null,
        ...releaseColumns(note),
      },
      references: [
        ...referenceTo('subject', note.subject.reference, 'Patient', 'patients', 'patient_id'),
        ...encounterReference(note.context?.encounter?.[0], 'context.encounter[0]'),
        ...(author
          ? [{ path: 'author', reference: author, targets: { Practitioner: { table: 'practitioners' as const, column: 'author_practitioner_id' } }, ignoreOtherTypes: true }]
          : []),
      ],
    });
  },
});
