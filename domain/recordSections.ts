// The record's sections in the order of its navigation; each is the path after /patients/:id/.
export const RECORD_SECTIONS = ['record', 'visits', 'notes', 'results', 'reports', 'medications', 'allergies', 'immunizations', 'care-team', 'insurance', 'who-has-looked', 'download'] as const;
export type RecordSection = (typeof RECORD_SECTIONS)[number];
