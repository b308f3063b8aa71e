/** What promoteSchema and copyTables did: each table written, with the rows it now holds. */
export interface TableCopyResult {
  readonly tables: ReadonlyArray<{ readonly name: string; readonly rows: number }>;
}
