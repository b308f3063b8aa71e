import { SluiceError } from '../errors.js';
import { didYouMean, suggest } from '../suggest.js';

/** A schedule name the project does not define. */
export class UnknownScheduleError extends SluiceError {
  constructor(name: string, known: readonly string[]) {
    const suggestions = suggest(name, known);
    const hint = known.length === 0 ? '; the project defines no schedules (add one under schedules/)' : '; run `sluice schedules list` to see them';
    super('UNKNOWN_SCHEDULE', `unknown schedule "${name}"${didYouMean(suggestions)}${hint}`, { name, suggestions });
  }
}
