// Whether an address (a host to listen on, or a peer's address) is this machine's loopback.

export function isLoopbackAddress(address: string): boolean {
  return address === 'localhost' || address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}
