// Billing statements. FHIR R4 has no statement resource; Invoice is the closest: it is what the
// provider bills the patient (with lineItem charges and totalGross/totalNet), where Claim and
// ExplanationOfBenefit describe the provider–payer exchange, not what the family owes.
import { z } from 'zod';
import { codeableConcept, date, dateTime, extension, money, requiredReference, resourceBase } from '../fhirTypes.ts';
import { defineMapper, invalid, mapped, referenceTo } from '../mapping.ts';
import { calendarDate, textOf } from '../read.ts';
import { COPAY_CODE, SERVICE_DATE_EXTENSION } from '../systems.ts';

const priceComponent = z.looseObject({
  type: z.enum(['base', 'surcharge', 'deduction', 'discount', 'tax', 'informational']),
  code: codeableConcept.optional(),
  amount: money.optional(),
});

const hasCode = (component: z.infer<typeof priceComponent>, wanted: string) => component.code?.coding?.some((c) => c.code === wanted) === true;

export const invoiceMapper = defineMapper({
  resourceType: 'Invoice',
  tier: 3,
  schema: z.looseObject({
    ...resourceBase,
    status: z.enum(['draft', 'issued', 'balanced', 'cancelled', 'entered-in-error']),
    subject: requiredReference,
    date: dateTime.optional(),
    totalGross: money.optional(),
    totalNet: money.optional(),
    totalPriceComponent: z.array(priceComponent).optional(),
    lineItem: z
      .array(
        z.looseObject({
          sequence: z.number().int().positive().optional(),
          chargeItemCodeableConcept: codeableConcept.optional(),
          priceComponent: z.array(priceComponent).optional(),
          extension: z.array(extension).optional(),
        }),
      )
      .optional(),
  }),
  map(invoice) {
    const lines = invoice.lineItem ?? [];
    const unnamed = lines.findIndex((line) => !textOf(line.chargeItemCodeableConcept));
    if (unnamed >= 0) return invalid({ path: `lineItem[${unnamed}].chargeItemCodeableConcept`, message: 'does not say what was charged' });
    const insurancePaid = invoice.totalPriceComponent?.find((c) => c.type === 'deduction')?.amount?.value;
    return mapped({
      table: 'billing_statements',
      columns: {
        status: invoice.status,
        statement_date: calendarDate(invoice.date),
        currency: invoice.totalNet?.currency ?? invoice.totalGross?.currency ?? 'USD',
        total_charges: invoice.totalGross?.value ?? null,
        insurance_paid: insurancePaid ?? null,
        balance: invoice.totalNet?.value ?? null,
        account_number: invoice.identifier?.[0]?.value ?? null,
      },
      references: referenceTo('subject', invoice.subject.reference, 'Patient', 'patients', 'patient_id'),
      children: {
        table: 'billing_line_items',
        parentColumn: 'statement_id',
        rows: lines.map((line, index) => ({
          columns: {
            sequence: line.sequence ?? index + 1,
            description: textOf(line.chargeItemCodeableConcept),
            service_date: date.safeParse(line.extension?.find((e) => e.url === SERVICE_DATE_EXTENSION)?.valueDate).data ?? null,
            charge: line.priceComponent?.find((c) => c.type === 'base')?.amount?.value ?? null,
            copay: line.priceComponent?.find((c) => hasCode(c, COPAY_CODE))?.amount?.value ?? null,
          },
          references: [],
        })),
      },
    });
  },
});
