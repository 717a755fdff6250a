/**
 * Errors of connections and sealed secrets. Their messages name ids, key ids and field names,
 * never a secret value or key material.
 */

/** The secret key is missing or malformed (the message never repeats what was given). */
export class SecretKeyError extends Error {
  override readonly name = 'SecretKeyError';
}

/** A sealed value cannot be opened: sealed with a key that is not loaded, or altered. */
export class SealedValueError extends Error {
  override readonly name = 'SealedValueError';
  constructor(
    message: string,
    /** The key id stored with the value. */
    readonly keyId: string,
  ) {
    super(message);
  }
}

/** A connection was given in a form the repository refuses (unknown app, secret-looking config…). */
export class InvalidConnectionError extends Error {
  override readonly name = 'InvalidConnectionError';
}

export class ConnectionNotFoundError extends Error {
  override readonly name = 'ConnectionNotFoundError';
  constructor(readonly id: string) {
    super(`no connection with id "${id}"`);
  }
}

export class ConnectionExistsError extends Error {
  override readonly name = 'ConnectionExistsError';
  constructor(readonly id: string) {
    super(`a connection with id "${id}" already exists`);
  }
}
