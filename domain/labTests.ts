// Lab tests in words a parent can read. Records name tests by their LOINC long name ("Sodium
// [Moles/volume] in Serum or Plasma") and units in UCUM ("10*3/uL"): precise, but not how people
// talk. The common pediatric tests and panels get a plain name of our own (the words live in the
// locale files, under record.results.testNames); any other LOINC-style name is cut to its first
// part. The full name stays on the page, one click away.

/** LOINC code → word key, for the tests of the panels children most often have. */
const PLAIN_TEST_KEYS: Readonly<Record<string, string>> = {
  // Complete blood count
  '58410-2': 'cbc',
  '57021-8': 'cbcWithDifferential',
  '6690-2': 'whiteCells',
  '789-8': 'redCells',
  '718-7': 'hemoglobin',
  '4544-3': 'hematocrit',
  '787-2': 'mcv',
  '785-6': 'mch',
  '786-4': 'mchc',
  '788-0': 'rdw',
  '777-3': 'platelets',
  '770-8': 'neutrophilsPercent',
  '736-9': 'lymphocytesPercent',
  // Basic and comprehensive metabolic panels
  '51990-0': 'bmp',
  '24321-2': 'bmp',
  '24323-8': 'cmp',
  '2951-2': 'sodium',
  '2823-3': 'potassium',
  '2075-0': 'chloride',
  '2028-9': 'bicarbonate',
  '3094-0': 'bun',
  '2160-0': 'creatinine',
  '2345-7': 'glucose',
  '17861-6': 'calcium',
  '2885-2': 'totalProtein',
  '1751-7': 'albumin',
  '1975-2': 'bilirubin',
  '6768-6': 'alkalinePhosphatase',
  '1742-6': 'alt',
  '1920-8': 'ast',
  // Cholesterol
  '24331-1': 'lipidPanel',
  '57698-3': 'lipidPanel',
  '2093-3': 'cholesterol',
  '2571-8': 'triglycerides',
  '2085-9': 'hdl',
  '13457-7': 'ldl',
  // Other common tests
  '4548-4': 'hba1c',
  '3016-3': 'tsh',
  '3024-7': 'freeT4',
  '1988-5': 'crp',
  '30341-2': 'esr',
  '4537-7': 'esr',
  '5671-3': 'lead',
  '2276-4': 'ferritin',
  '2498-4': 'iron',
};

/** Every word key a test name can take (for the locale test). */
export const PLAIN_TEST_WORDS: readonly string[] = [...new Set(Object.values(PLAIN_TEST_KEYS))];

/** The name to show first: a word key for a test we know, else the recorded name, shortened when it is a LOINC long name. */
export function plainTestName(code: string | null | undefined, recorded: string): { word: string } | { text: string } {
  const word = PLAIN_TEST_KEYS[(code ?? '').trim()];
  if (word) return { word };
  return { text: shortenedLoincName(recorded) };
}

/**
 * A LOINC long name reads "component [property] in system by method", and a panel "name - system":
 * the component (or the panel's name) is the part a person recognises.
 */
function shortenedLoincName(name: string): string {
  const bracket = name.indexOf(' [');
  if (bracket > 0) return name.slice(0, bracket).trim();
  const panel = /^(.*\bpanel\b.*?) - /i.exec(name);
  if (panel?.[1]) return panel[1].trim();
  return name;
}

const SUPERSCRIPTS: Readonly<Record<string, string>> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '-': '⁻' };
const superscript = (digits: string) => [...digits].map((digit) => SUPERSCRIPTS[digit] ?? digit).join('');

/** Whole UCUM units that read differently from their parts. */
const SPECIAL_UNITS: Readonly<Record<string, string | null>> = { '1': null, Cel: '°C', '[degF]': '°F' };

/**
 * A UCUM unit ("10*3/uL", "u[IU]/mL", "mL/min/{1.73_m2}") as people write it ("×10³/µL",
 * "µIU/mL", "mL/min/1.73 m²"); null when there is nothing to write (no unit, or the unity "1").
 */
export function readableUnit(unit: string | null | undefined): string | null {
  const trimmed = (unit ?? '').trim();
  if (trimmed === '') return null;
  if (trimmed in SPECIAL_UNITS) return SPECIAL_UNITS[trimmed]!;
  return (
    trimmed
      // Powers of ten: UCUM's 10*3 and 10^3, and the lab habit x10E3.
      .replace(/^(?:x\s*)?10(?:\*|\^|E)(-?\d+)/i, (_whole, power: string) => `×10${superscript(power)}`)
      // Annotations ({cells}, {1.73_m2}) are words; square brackets ([IU], [HPF], mm[Hg]) only group.
      .replace(/\{([^}]*)\}/g, (_whole, text: string) => text.replace(/_/g, ' '))
      .replace(/\[([^\]]*)\]/g, '$1')
      // The micro prefix: u before a unit (uL, ug, umol, uIU) at the start or after / or a space.
      .replace(/(^|[/\s.])u(?=[a-zA-Z])/g, '$1µ')
      // Squares and cubes of lengths (m2, cm3).
      .replace(/(m)([23])\b/g, (_whole, metre: string, power: string) => `${metre}${superscript(power)}`)
  );
}
