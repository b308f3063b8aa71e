import { SluiceError } from '../core/errors.js';

/** An error whose HTTP status is known (4xx: the request's fault). */
export class HttpError extends SluiceError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
  ) {
    super(code, message, { status });
  }
}
