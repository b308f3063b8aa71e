import { SluiceError } from '../core/errors.js';

export class ProjectLoadError extends SluiceError {
  constructor(code: string, message: string, data: Record<string, unknown>, cause?: unknown) {
    super(code, message, data, cause === undefined ? {} : { cause });
  }
}
