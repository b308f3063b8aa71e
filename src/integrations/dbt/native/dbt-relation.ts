import { qualified } from '../../postgres/quote-ident.js';

/**
 * A relation as dbt's Jinja sees it (`{{ this }}`, `{{ ref('x') }}`, `{{ source('s', 't') }}`):
 * prints as `"schema"."identifier"` and has dbt's attributes (schema, identifier, name, table,
 * database). The database is left out: the native runner builds in the warehouse it is connected to.
 */
export class DbtRelation {
  constructor(
    readonly schema: string,
    readonly identifier: string,
    readonly type: 'table' | 'view' | 'cte' | undefined = undefined,
  ) {}

  get name(): string {
    return this.identifier;
  }

  get table(): string {
    return this.identifier;
  }

  get database(): undefined {
    return undefined;
  }

  get is_table(): boolean {
    return this.type === 'table';
  }

  get is_view(): boolean {
    return this.type === 'view';
  }

  render(): string {
    return qualified(this.schema, this.identifier);
  }

  toString(): string {
    return this.render();
  }
}
