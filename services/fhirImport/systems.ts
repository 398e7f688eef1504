// Code systems and extensions the importer reads. The MRN system is the hospital's own and
// comes from configuration (FHIR_MRN_SYSTEM); the rest are standard or this portal's.
export const NPI_SYSTEM = 'http://hl7.org/fhir/sid/us-npi';
export const DEFAULT_MRN_SYSTEM = 'https://fhir.example-childrens.org/sid/mrn';
/** Department codes as the release policy uses them (`adolescent-medicine`, `radiology` …). */
export const DEPARTMENT_SYSTEM = 'https://fhir.example-childrens.org/CodeSystem/department';
export const LOINC_SYSTEM = 'http://loinc.org';
export const CONFIDENTIALITY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
export const ACT_CODE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
export const ROLE_CODE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';
export const REPORT_CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v2-0074';
export const OBSERVATION_CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category';
export const ORGANIZATION_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/organization-type';
export const INTERPRETATION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
export const ENCOUNTER_CLASS_SYSTEM = ACT_CODE_SYSTEM;

const PORTAL_EXTENSIONS = 'https://fhir.example-childrens.org/StructureDefinition';
/** RelatedPerson: the hospital holds court papers for this guardian (valueBoolean). */
export const PAPERS_ON_FILE_EXTENSION = `${PORTAL_EXTENSIONS}/guardianship-papers-on-file`;
/** Organization (a clinic): families may book their own return visits (valueBoolean). */
export const SELF_SCHEDULING_EXTENSION = `${PORTAL_EXTENSIONS}/self-scheduling`;
/** Invoice.lineItem: the date of service (valueDate); R4 Invoice lines have no date of their own. */
export const SERVICE_DATE_EXTENSION = `${PORTAL_EXTENSIONS}/service-date`;
/** Invoice.lineItem.priceComponent code for the family's copay share of a line. */
export const COPAY_CODE = 'copay';
