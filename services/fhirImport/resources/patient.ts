// Patients, the people responsible for them, their care teams and their insurance.
import { z } from 'zod';
import { address, codeableConcept, contactPoint, fullDate, humanName, period, reference, requiredReference, resourceBase } from '../fhirTypes.ts';
import { defineMapper, invalid, mapped, referenceTo, type ReferenceField } from '../mapping.ts';
import { addressColumns, calendarDate, codeFromAny, extensionBoolean, identifierValue, personName, telecom, textOf } from '../read.ts';
import { PAPERS_ON_FILE_EXTENSION, ROLE_CODE_SYSTEM } from '../systems.ts';

export const patientMapper = defineMapper({
  resourceType: 'Patient',
  tier: 2,
  schema: z.looseObject({
    ...resourceBase,
    name: z.array(humanName).min(1, 'is missing'),
    birthDate: fullDate,
    gender: z.enum(['male', 'female', 'other', 'unknown']).optional(),
    telecom: z.array(contactPoint).optional(),
    address: z.array(address).optional(),
    communication: z.array(z.looseObject({ language: codeableConcept, preferred: z.boolean().optional() })).optional(),
    generalPractitioner: z.array(requiredReference).optional(),
  }),
  map(patient, context) {
    const mrn = identifierValue(patient.identifier, context.mrnSystem);
    if (!mrn) return invalid({ path: 'identifier', message: `has no MRN (an identifier with system ${context.mrnSystem})` });
    const name = personName(patient.name);
    if (!name.family) return invalid({ path: 'name', message: 'has no family name' });
    const language = (patient.communication?.find((c) => c.preferred) ?? patient.communication?.[0])?.language;
    // A PCP is a Practitioner; a reference to an Organization names the practice.
    const references: ReferenceField[] = (patient.generalPractitioner ?? []).map((pcp, index) => ({
      path: `generalPractitioner[${index}]`,
      reference: pcp.reference,
      targets: {
        Practitioner: { table: 'practitioners', column: 'pcp_practitioner_id' },
        Organization: { table: 'practices', column: 'pcp_practice_id' },
      },
    }));
    return mapped({
      table: 'patients',
      columns: {
        mrn,
        family_name: name.family,
        given_names: name.given,
        birth_date: patient.birthDate,
        sex: patient.gender ?? null,
        // "es" or "es-MX" → "es": the portal speaks languages, not regional variants.
        preferred_language: language?.coding?.[0]?.code?.split('-')[0]?.toLowerCase() ?? null,
        phone: telecom(patient.telecom, 'phone'),
        email: telecom(patient.telecom, 'email'),
        ...addressColumns(patient.address),
        pcp_practitioner_id: null,
        pcp_practice_id: null,
      },
      references,
      naturalKey: { column: 'mrn', value: mrn },
    });
  },
});

// v3 RoleCode: legal guardians; parents are guardians by default but not "court appointed".
const LEGAL_GUARDIAN_CODES = ['GUARD', 'GUADLTM', 'POWATT', 'DPOWATT'];

export const relatedPersonMapper = defineMapper({
  resourceType: 'RelatedPerson',
  tier: 3,
  schema: z.looseObject({
    ...resourceBase,
    active: z.boolean().optional(),
    patient: requiredReference,
    relationship: z.array(codeableConcept).optional(),
    name: z.array(humanName).min(1, 'is missing'),
    telecom: z.array(contactPoint).optional(),
  }),
  map(person) {
    const name = personName(person.name);
    if (!name.family) return invalid({ path: 'name', message: 'has no family name' });
    const relationship = codeFromAny(person.relationship, ROLE_CODE_SYSTEM);
    return mapped({
      table: 'related_persons',
      columns: {
        relationship_code: relationship,
        family_name: name.family,
        given_names: name.given,
        phone: telecom(person.telecom, 'phone'),
        email: telecom(person.telecom, 'email'),
        is_legal_guardian: relationship !== null && LEGAL_GUARDIAN_CODES.includes(relationship),
        guardianship_papers_on_file: extensionBoolean(person.extension, PAPERS_ON_FILE_EXTENSION),
        active: person.active ?? true,
      },
      references: referenceTo('patient', person.patient.reference, 'Patient', 'patients', 'patient_id'),
    });
  },
});

export const careTeamMapper = defineMapper({
  resourceType: 'CareTeam',
  tier: 3,
  schema: z.looseObject({
    ...resourceBase,
    status: z.string().optional(),
    name: z.string().optional(),
    subject: requiredReference,
    participant: z.array(z.looseObject({ role: z.array(codeableConcept).optional(), member: reference.optional() })).optional(),
  }),
  map(team) {
    // Only practitioners are members the portal shows; patients and relatives on the team are not.
    const rows = (team.participant ?? []).flatMap((participant, index) => {
      const reference = participant.member?.reference;
      if (!reference) return [];
      const member = { path: `participant[${index}].member`, reference, targets: { Practitioner: { table: 'practitioners', column: 'practitioner_id' } } } as const;
      return [{ columns: { role: textOf(participant.role?.[0]) }, references: [{ ...member, ignoreOtherTypes: true }] }];
    });
    return mapped({
      table: 'care_teams',
      columns: { name: team.name ?? null, status: team.status ?? null },
      references: referenceTo('subject', team.subject.reference, 'Patient', 'patients', 'patient_id'),
      children: { table: 'care_team_members', parentColumn: 'care_team_id', rows },
    });
  },
});

export const coverageMapper = defineMapper({
  resourceType: 'Coverage',
  tier: 3,
  schema: z.looseObject({
    ...resourceBase,
    status: z.enum(['active', 'cancelled', 'draft', 'entered-in-error']),
    beneficiary: requiredReference,
    subscriberId: z.string().optional(),
    relationship: codeableConcept.optional(),
    period: period.optional(),
    payor: z.array(reference).min(1, 'is missing'),
    class: z.array(z.looseObject({ type: codeableConcept, value: z.string(), name: z.string().optional() })).optional(),
  }),
  map(coverage) {
    const payerName = coverage.payor[0]?.display;
    if (!payerName) return invalid({ path: 'payor[0].display', message: 'the payer has no name' });
    const classOf = (type: string) => coverage.class?.find((c) => c.type.coding?.some((coding) => coding.code === type));
    return mapped({
      table: 'coverages',
      columns: {
        status: coverage.status,
        payer_name: payerName,
        member_id: coverage.subscriberId ?? null,
        group_number: classOf('group')?.value ?? null,
        plan_name: classOf('plan')?.name ?? classOf('plan')?.value ?? null,
        subscriber_relationship: coverage.relationship?.coding?.[0]?.code ?? null,
        period_start: calendarDate(coverage.period?.start),
        period_end: calendarDate(coverage.period?.end),
      },
      references: referenceTo('beneficiary', coverage.beneficiary.reference, 'Patient', 'patients', 'patient_id'),
    });
  },
});
