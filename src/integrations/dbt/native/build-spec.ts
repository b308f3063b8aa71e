import { SluiceError } from '../../../core/errors.js';

/** A relation a model builds: where, and the SELECT that fills it. */
export interface BuildSpec {
  readonly schema: string;
  readonly name: string;
  readonly sql: string;
}

/** A materialized view, sequence or index holds the model's name: dropping it is not ours to decide. */
export function relationConflict(spec: { schema: string; name: string }): SluiceError {
  return new SluiceError(
    'DBT_RELATION_CONFLICT',
    `"${spec.schema}"."${spec.name}" exists and is neither a table nor a view (a materialized view, sequence or index?): drop or rename it, or rename the model`,
    { schema: spec.schema, name: spec.name },
  );
}
