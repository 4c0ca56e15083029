import { randomBytes } from 'node:crypto';

/**
 * A new session id: 192 bits from the OS's CSPRNG, base64url (letters, digits, `-`, `_`).
 *
 * [spec 2025-11-25 transports] The session ID SHOULD be globally unique and cryptographically
 * secure ... The session ID MUST only contain visible ASCII characters (ranging from 0x21 to
 * 0x7E).
 */
export function createSessionId(): string {
  return randomBytes(24).toString('base64url');
}
