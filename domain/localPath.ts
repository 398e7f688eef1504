// Where a "back" or "return to" parameter may send someone: only to a page on this site.
export function isLocalPath(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.startsWith('/') &&
    !value.startsWith('//') &&
    !value.startsWith('/\\') &&
    !/[\u0000-\u001f\u007f]/.test(value) &&
    value.length <= 2000
  );
}
