import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * Phone numbers in E.164, read with the location's country when they carry no country code.
 * Numbers that cannot be read are kept as sent (the live API is lenient here; UNVERIFIED).
 */
export function toE164(raw: string, country: string): string {
  const trimmed = raw.trim();
  if (trimmed === '') return trimmed;
  const parsed = parsePhoneNumberFromString(trimmed, country.toUpperCase() as CountryCode);
  return parsed && parsed.isPossible() ? parsed.number : trimmed;
}

/** Comparison key for duplicate matching: E.164 when readable, else the digits. */
export function phoneKey(raw: string | undefined, country: string): string | undefined {
  if (!raw) return undefined;
  const e164 = toE164(raw, country);
  return e164.startsWith('+') ? e164 : e164.replace(/\D/g, '') || undefined;
}
