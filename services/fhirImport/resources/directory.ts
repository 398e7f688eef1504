// The directory: clinics and practices (Organization), practitioners and their roles.
import { z } from 'zod';
import { codeableConcept, contactPoint, humanName, address, reference, requiredReference, resourceBase } from '../fhirTypes.ts';
import { defineMapper, invalid, mapped, referenceTo, skipped } from '../mapping.ts';
import { addressColumns, codeFromAny, extensionBoolean, identifierValue, personName, telecom, textOf } from '../read.ts';
import { DEPARTMENT_SYSTEM, NPI_SYSTEM, ORGANIZATION_TYPE_SYSTEM, SELF_SCHEDULING_EXTENSION } from '../systems.ts';
import { isValidNpi } from '../../../domain/npi.ts';

export const organizationMapper = defineMapper({
  resourceType: 'Organization',
  tier: 1,
  schema: z.looseObject({
    ...resourceBase,
    name: z.string().trim().min(1, 'is missing'),
    type: z.array(codeableConcept).optional(),
    telecom: z.array(contactPoint).optional(),
    address: z.array(address).optional(),
  }),
  map(org) {
    const type = codeFromAny(org.type, ORGANIZATION_TYPE_SYSTEM);
    const departmentCode = identifierValue(org.identifier, DEPARTMENT_SYSTEM);
    // A hospital department with our department code is a clinic; payers and others are not stored.
    if (departmentCode) {
      return mapped({
        table: 'clinics',
        columns: {
          department_code: departmentCode,
          name: org.name,
          allows_self_scheduling: extensionBoolean(org.extension, SELF_SCHEDULING_EXTENSION),
          phone: telecom(org.telecom, 'phone'),
        },
        references: [],
      });
    }
    if (type === 'pay' || type === 'ins' || type === 'govt') return skipped('payer organisations are kept only as names on coverage');
    return mapped({
      table: 'practices',
      columns: { name: org.name, phone: telecom(org.telecom, 'phone'), fax: telecom(org.telecom, 'fax'), ...addressColumns(org.address) },
      references: [],
    });
  },
});

export const practitionerMapper = defineMapper({
  resourceType: 'Practitioner',
  tier: 1,
  schema: z.looseObject({
    ...resourceBase,
    name: z.array(humanName).min(1, 'is missing'),
    telecom: z.array(contactPoint).optional(),
    qualification: z.array(z.looseObject({ code: codeableConcept })).optional(),
  }),
  map(practitioner) {
    const npi = identifierValue(practitioner.identifier, NPI_SYSTEM);
    if (npi !== null && !isValidNpi(npi)) return invalid({ path: 'identifier', message: 'NPI must be 10 digits with a valid check digit' });
    const name = personName(practitioner.name);
    if (!name.family) return invalid({ path: 'name', message: 'has no family name' });
    const credential = textOf(practitioner.qualification?.[0]?.code) ?? practitioner.name[0]?.suffix?.[0] ?? null;
    return mapped({
      table: 'practitioners',
      columns: {
        npi,
        family_name: name.family,
        given_names: name.given,
        credential,
        phone: telecom(practitioner.telecom, 'phone'),
        email: telecom(practitioner.telecom, 'email'),
      },
      references: [],
      naturalKey: npi ? { column: 'npi', value: npi } : undefined,
    });
  },
});

export const practitionerRoleMapper = defineMapper({
  resourceType: 'PractitionerRole',
  tier: 2,
  schema: z.looseObject({
    ...resourceBase,
    active: z.boolean().optional(),
    practitioner: requiredReference,
    organization: reference.optional(),
    code: z.array(codeableConcept).optional(),
    specialty: z.array(codeableConcept).optional(),
  }),
  map(role) {
    return mapped({
      table: 'practitioner_roles',
      columns: {
        role_code: role.code?.[0]?.coding?.[0]?.code ?? textOf(role.code?.[0]),
        specialty: textOf(role.specialty?.[0]),
        active: role.active ?? true,
      },
      references: [
        ...referenceTo('practitioner', role.practitioner.reference, 'Practitioner', 'practitioners', 'practitioner_id'),
        ...referenceTo('organization', role.organization?.reference, 'Organization', 'practices', 'practice_id'),
      ],
    });
  },
});
