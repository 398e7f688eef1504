// Every resource type the importer stores, by name.
import type { ResourceMapper } from '../mapping.ts';
import { organizationMapper, practitionerMapper, practitionerRoleMapper } from './directory.ts';
import { careTeamMapper, coverageMapper, patientMapper, relatedPersonMapper } from './patient.ts';
import { appointmentMapper, encounterMapper } from './visits.ts';
import { diagnosticReportMapper, documentReferenceMapper, observationMapper } from './results.ts';
import { allergyMapper, immunizationMapper, medicationRequestMapper } from './treatment.ts';
import { invoiceMapper } from './billing.ts';

export const MAPPERS: ReadonlyMap<string, ResourceMapper<unknown>> = new Map(
  [
    organizationMapper,
    practitionerMapper,
    practitionerRoleMapper,
    patientMapper,
    relatedPersonMapper,
    careTeamMapper,
    coverageMapper,
    encounterMapper,
    appointmentMapper,
    observationMapper,
    diagnosticReportMapper,
    documentReferenceMapper,
    medicationRequestMapper,
    allergyMapper,
    immunizationMapper,
    invoiceMapper,
  ].map((mapper) => [mapper.resourceType, mapper]),
);

export const LAST_TIER = Math.max(...[...MAPPERS.values()].map((mapper) => mapper.tier));
