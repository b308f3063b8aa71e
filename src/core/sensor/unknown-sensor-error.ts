import { SluiceError } from '../errors.js';
import { didYouMean, suggest } from '../suggest.js';

/** A sensor name the project does not define. */
export class UnknownSensorError extends SluiceError {
  constructor(name: string, known: readonly string[]) {
    const suggestions = suggest(name, known);
    const hint = known.length === 0 ? '; the project defines no sensors (add one under schedules/ with defineSensor)' : '; run `sluice sensors list` to see them';
    super('UNKNOWN_SENSOR', `unknown sensor "${name}"${didYouMean(suggestions)}${hint}`, { name, suggestions });
  }
}
