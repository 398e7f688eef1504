// Visits: encounters (with their clinicians) and appointments.
import { z } from 'zod';
import { codeableConcept, coding, dateTime, period, reference, requiredReference, resourceBase } from '../fhirTypes.ts';
import { defineMapper, invalid, mapped, referenceTo } from '../mapping.ts';
import { codeFrom, codeFromAny, instant, securityLabels, textOf } from '../read.ts';
import { ACT_CODE_SYSTEM, DEPARTMENT_SYSTEM } from '../systems.ts';
import type { EncounterClass } from '../../../domain/release.ts';

// v3 ActCode encounter classes → the four kinds of visit the portals tell apart.
const ENCOUNTER_CLASSES: Readonly<Record<string, EncounterClass>> = {
  AMB: 'ambulatory',
  HH: 'ambulatory',
  FLD: 'ambulatory',
  IMP: 'inpatient',
  ACUTE: 'inpatient',
  NONAC: 'inpatient',
  OBSENC: 'inpatient',
  SS: 'inpatient',
  PRENC: 'inpatient',
  EMER: 'emergency',
  VR: 'virtual',
};

export const encounterMapper = defineMapper({
  resourceType: 'Encounter',
  tier: 3,
  schema: z.looseObject({
    ...resourceBase,
    status: z.string().min(1),
    class: coding,
    type: z.array(codeableConcept).optional(),
    serviceType: codeableConcept.optional(),
    subject: requiredReference,
    participant: z.array(z.looseObject({ type: z.array(codeableConcept).optional(), individual: reference.optional() })).optional(),
    period: period.optional(),
    reasonCode: z.array(codeableConcept).optional(),
  }),
  map(encounter, context) {
    const visitClass = encounter.class.code ? ENCOUNTER_CLASSES[encounter.class.code] : undefined;
    if (!visitClass) {
      return invalid({ path: 'class', message: `class "${encounter.class.code ?? ''}" is not one of ${Object.keys(ENCOUNTER_CLASSES).join(', ')}` });
    }
    const participants = (encounter.participant ?? []).flatMap((participant, index) => {
      const reference = participant.individual?.reference;
      if (!reference) return [];
      const individual = {
        path: `participant[${index}].individual`,
        reference,
        targets: { Practitioner: { table: 'practitioners' as const, column: 'practitioner_id' } },
        ignoreOtherTypes: true,
      };
      return [{ columns: { role: participant.type?.[0]?.coding?.[0]?.code ?? textOf(participant.type?.[0]) }, references: [individual] }];
    });
    return mapped({
      table: 'encounters',
      columns: {
        class: visitClass,
        status: encounter.status,
        department_code: codeFrom(encounter.serviceType, DEPARTMENT_SYSTEM) ?? codeFromAny(encounter.type, DEPARTMENT_SYSTEM),
        type: textOf(encounter.type?.[0]),
        reason: textOf(encounter.reasonCode?.[0]),
        period_start: instant(encounter.period?.start, context.timeZone),
        period_end: instant(encounter.period?.end, context.timeZone),
        confidential: securityLabels(encounter.meta).confidential,
      },
      references: referenceTo('subject', encounter.subject.reference, 'Patient', 'patients', 'patient_id'),
      children: { table: 'encounter_participants', parentColumn: 'encounter_id', rows: participants },
    });
  },
});

export const appointmentMapper = defineMapper({
  resourceType: 'Appointment',
  tier: 3,
  schema: z.looseObject({
    ...resourceBase,
    status: z.string().min(1),
    serviceType: z.array(codeableConcept).optional(),
    appointmentType: codeableConcept.optional(),
    description: z.string().optional(),
    start: dateTime.optional(),
    end: dateTime.optional(),
    participant: z.array(z.looseObject({ actor: reference.optional() })).min(1, 'is missing'),
  }),
  map(appointment, context) {
    const actors = appointment.participant.map((p, index) => ({ index, reference: p.actor?.reference ?? '' }));
    const patient = actors.find((a) => /(^|\/)Patient\//.test(a.reference)) ?? actors.find((a) => a.reference.startsWith('urn:uuid:'));
    if (!patient) return invalid({ path: 'participant', message: 'no participant is the patient' });
    const practitioner = actors.find((a) => a !== patient && a.reference !== '');
    return mapped({
      table: 'appointments',
      columns: {
        status: appointment.status,
        department_code: codeFromAny(appointment.serviceType, DEPARTMENT_SYSTEM),
        service_type: textOf(appointment.serviceType?.[0]),
        description: appointment.description ?? null,
        is_virtual: codeFrom(appointment.appointmentType, ACT_CODE_SYSTEM) === 'VR',
        start_at: instant(appointment.start, context.timeZone),
        end_at: instant(appointment.end, context.timeZone),
      },
      references: [
        ...referenceTo(`participant[${patient.index}].actor`, patient.reference, 'Patient', 'patients', 'patient_id'),
        ...(practitioner
          ? [
              {
                path: `participant[${practitioner.index}].actor`,
                reference: practitioner.reference,
                targets: { Practitioner: { table: 'practitioners' as const, column: 'practitioner_id' } },
                ignoreOtherTypes: true,
              },
            ]
          : []),
      ],
    });
  },
});
