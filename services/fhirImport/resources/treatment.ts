// Medications, allergies and immunizations.
import { z } from 'zod';
import { codeableConcept, dateTime, reference, requiredReference, resourceBase } from '../fhirTypes.ts';
import { defineMapper, invalid, mapped, referenceTo } from '../mapping.ts';
import { instant, releaseColumns, textOf } from '../read.ts';

const firstCode = (concept: z.infer<typeof codeableConcept> | undefined) => concept?.coding?.find((c) => c.code)?.code ?? null;

export const medicationRequestMapper = defineMapper({
  resourceType: 'MedicationRequest',
  // After encounters (tier 3): a prescription may name the visit it was written at.
  tier: 4,
  schema: z.looseObject({
    ...resourceBase,
    status: z.string().min(1),
    medicationCodeableConcept: codeableConcept.optional(),
    medicationReference: reference.optional(),
    subject: requiredReference,
    encounter: reference.optional(),
    authoredOn: dateTime.optional(),
    requester: reference.optional(),
    dosageInstruction: z.array(z.looseObject({ text: z.string().optional() })).optional(),
  }),
  map(request, context) {
    const name = textOf(request.medicationCodeableConcept) ?? request.medicationReference?.display;
    if (!name) return invalid({ path: 'medicationCodeableConcept', message: 'does not name the medication' });
    const requester = request.requester?.reference;
    return mapped({
      table: 'medications',
      columns: {
        code: firstCode(request.medicationCodeableConcept),
        name,
        status: request.status,
        dosage: request.dosageInstruction?.map((d) => d.text).filter(Boolean).join('; ') || null,
        authored_at: instant(request.authoredOn, context.timeZone),
        // Confidential (R, V) and sensitivity labels (HIV, ETH …) from meta.security, as for notes and results.
        ...releaseColumns(request),
      },
      references: [
        ...referenceTo('subject', request.subject.reference, 'Patient', 'patients', 'patient_id'),
        ...referenceTo('encounter', request.encounter?.reference, 'Encounter', 'encounters', 'encounter_id'),
        ...(requester
          ? [{ path: 'requester', reference: requester, targets: { Practitioner: { table: 'practitioners' as const, column: 'prescriber_id' } }, ignoreOtherTypes: true }]
          : []),
      ],
    });
  },
});

export const allergyMapper = defineMapper({
  resourceType: 'AllergyIntolerance',
  tier: 3,
  schema: z.looseObject({
    ...resourceBase,
    clinicalStatus: codeableConcept.optional(),
    criticality: z.enum(['low', 'high', 'unable-to-assess']).optional(),
    code: codeableConcept,
    patient: requiredReference,
    recordedDate: dateTime.optional(),
    reaction: z.array(z.looseObject({ manifestation: z.array(codeableConcept) })).optional(),
  }),
  map(allergy, context) {
    const substance = textOf(allergy.code);
    if (!substance) return invalid({ path: 'code', message: 'does not name the substance' });
    return mapped({
      table: 'allergies',
      columns: {
        code: firstCode(allergy.code),
        substance,
        clinical_status: firstCode(allergy.clinicalStatus),
        criticality: allergy.criticality ?? null,
        reaction: textOf(allergy.reaction?.[0]?.manifestation[0]),
        recorded_at: instant(allergy.recordedDate, context.timeZone),
      },
      references: referenceTo('patient', allergy.patient.reference, 'Patient', 'patients', 'patient_id'),
    });
  },
});

export const immunizationMapper = defineMapper({
  resourceType: 'Immunization',
  tier: 3,
  schema: z.looseObject({
    ...resourceBase,
    status: z.enum(['completed', 'entered-in-error', 'not-done']),
    vaccineCode: codeableConcept,
    patient: requiredReference,
    occurrenceDateTime: dateTime.optional(),
    lotNumber: z.string().optional(),
  }),
  map(immunization, context) {
    const vaccine = textOf(immunization.vaccineCode);
    if (!vaccine) return invalid({ path: 'vaccineCode', message: 'does not name the vaccine' });
    return mapped({
      table: 'immunizations',
      columns: {
        vaccine_code: firstCode(immunization.vaccineCode),
        vaccine,
        status: immunization.status,
        occurred_at: instant(immunization.occurrenceDateTime, context.timeZone),
        lot_number: immunization.lotNumber ?? null,
      },
      references: referenceTo('patient', immunization.patient.reference, 'Patient', 'patients', 'patient_id'),
    });
  },
});
