/** An expected failure with the HTTP status it maps to; the error handler renders it without a stack. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly messageKey: string,
  ) {
    super(messageKey);
    this.name = 'HttpError';
  }
}
