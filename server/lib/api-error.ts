import { ERROR_CODES, type ErrorBody, type ErrorCode } from 'touchpoint/protocol';

/** An error the client caused, answered with the documented status and body. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly path?: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.status = ERROR_CODES[code].status;
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.path === undefined ? {} : { path: this.path }) } };
  }
}
