// The seeded randomness every generator draws from: the same seed gives the same record.
import { Faker, base, en, en_US, es, es_MX } from '@faker-js/faker';

export interface Random {
  /** Names and addresses for English-speaking families. */
  english: Faker;
  /** Names for Spanish-speaking families. */
  spanish: Faker;
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Some of the items, in their order. */
  some<T>(items: readonly T[], probability: number): T[];
  uuid(): string;
  digits(count: number): string;
}

export function seededRandom(seed: number): Random {
  const english = new Faker({ locale: [en_US, en, base] });
  const spanish = new Faker({ locale: [es_MX, es, en, base] });
  english.seed(seed);
  spanish.seed(seed + 1);
  return {
    english,
    spanish,
    int: (min, max) => english.number.int({ min, max }),
    chance: (probability) => english.datatype.boolean({ probability }),
    pick: (items) => english.helpers.arrayElement(items as unknown[]) as never,
    some: (items, probability) => items.filter(() => english.datatype.boolean({ probability })),
    uuid: () => english.string.uuid(),
    digits: (count) => english.string.numeric({ length: count, allowLeadingZeros: true }),
  };
}
