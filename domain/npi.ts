// Whether a National Provider Identifier is well formed: 10 digits whose last is a Luhn check digit.

/**
 * CMS computes the check digit with the Luhn algorithm as if the NPI were preceded by 80840,
 * the prefix that makes it a card-issuer identifier (80 = health, 840 = United States).
 */
const CARD_ISSUER_PREFIX = '80840';

/** `value` must be exactly ten ASCII digits: callers strip any spaces or dashes a person typed. */
export function isValidNpi(value: string): boolean {
  return /^\d{10}$/.test(value) && passesLuhn(CARD_ISSUER_PREFIX + value);
}

/** From the rightmost digit, double every second digit (subtracting 9 above 9); the sum ends in 0. */
function passesLuhn(digits: string): boolean {
  let sum = 0;
  [...digits].reverse().forEach((character, positionFromRight) => {
    const digit = Number(character);
    const doubled = positionFromRight % 2 === 1 ? digit * 2 : digit;
    sum += doubled > 9 ? doubled - 9 : doubled;
  });
  return sum % 10 === 0;
}
