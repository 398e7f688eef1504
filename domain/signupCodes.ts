// The sign-up token a family types from a hospital letter: 12 characters from an alphabet with
// no look-alikes (no 0/O, 1/I/L, U), shown in groups of four. About 59 bits: with the date of
// birth required and failures throttled, guessing one is hopeless.

export const SIGNUP_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';
export const SIGNUP_CODE_LENGTH = 12;

/** What a person typed, as the code it stands for: case, spaces and dashes do not matter. */
export function normaliseSignupCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s\-–—.]/g, '');
}

/** A well-formed code: the right length, and only letters and digits of the alphabet. */
export function isSignupCode(code: string): boolean {
  return code.length === SIGNUP_CODE_LENGTH && [...code].every((character) => SIGNUP_CODE_ALPHABET.includes(character));
}

/** 'ABCDEFGHJKMN' → 'ABCD-EFGH-JKMN', as printed on the letter. */
export function formatSignupCode(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code;
}
