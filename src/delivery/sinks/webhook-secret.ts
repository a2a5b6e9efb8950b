/*
 * Webhook signing secrets as Standard Webhooks defines them (https://www.standardwebhooks.com): a
 * secret is `whsec_` followed by the base64 of random key bytes, and the HMAC key is those decoded
 * bytes. The same base64 without the prefix stands for the same key. Kept apart from the sink so the
 * config can explain a bad secret without loading the HTTP client.
 */

/** Standard Webhooks asks for keys of 24 to 64 random bytes; shorter ones are refused. */
export const webhookKeyMinBytes = 24;

const prefix = 'whsec_';
const makeOne = `make one with \`echo "whsec_$(openssl rand -base64 32)"\``;
const keepOld =
  "releases before this one signed with a plain secret's own UTF-8 bytes; to keep that key, write " +
  "whsec_ followed by the old secret in base64 (`printf %s '<old secret>' | base64`)";

/** The HMAC key a secret stands for, or why the secret is not one (a sentence to show in errors). */
export function webhookSecretKey(secret: string): { ok: true; key: Buffer } | { ok: false; reason: string } {
  const prefixed = secret.startsWith(prefix);
  const encoded = prefixed ? secret.slice(prefix.length) : secret;
  const decoded = Buffer.from(encoded, 'base64');
  const canonical = encoded.length > 0 && encoded.length % 4 === 0 && decoded.toString('base64') === encoded;
  if (!canonical) {
    return {
      ok: false,
      reason: prefixed
        ? `a whsec_ secret must be whsec_ followed by standard base64 (A-Z, a-z, 0-9, +, / and = padding) of at least ${webhookKeyMinBytes} bytes; ${makeOne}`
        : `expected a Standard Webhooks secret: whsec_ followed by the base64 of at least ${webhookKeyMinBytes} random bytes (${makeOne}); this one is not base64. ${keepOld}`,
    };
  }
  // Hex is valid base64 too, but a hex secret was meant as hex or as text, never as base64.
  if (!prefixed && /^[0-9a-f]+$/i.test(encoded)) {
    return {
      ok: false,
      reason: `this secret looks like hex, but a secret without the whsec_ prefix is read as base64 (Standard Webhooks); write whsec_ followed by the base64 of the key bytes. ${keepOld}`,
    };
  }
  if (decoded.length < webhookKeyMinBytes) {
    return {
      ok: false,
      reason: `the secret's key is ${decoded.length} bytes; Standard Webhooks asks for at least ${webhookKeyMinBytes} (${makeOne})`,
    };
  }
  return { ok: true, key: decoded };
}

/** The secrets of a sink, whether configured as one string or as a list (rotation). */
export function secretList(secret: string | ReadonlyArray<string>): string[] {
  return typeof secret === 'string' ? [secret] : [...secret];
}
