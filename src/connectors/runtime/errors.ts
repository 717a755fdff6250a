/** A connection that is unknown, of another app, or whose settings do not parse. */
export class ConnectionProblem extends Error {
  constructor(
    message: string,
    readonly status: 404 | 409 | 422 = 422,
  ) {
    super(message);
    this.name = 'ConnectionProblem';
  }
}
