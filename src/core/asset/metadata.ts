/** A metadata value attached to a materialization or check result. */
export type MetadataValue =
  | number
  | string
  | boolean
  | null
  | { readonly url: string }
  | { readonly path: string }
  | { readonly json: unknown }
  | { readonly markdown: string };

export type Metadata = Readonly<Record<string, MetadataValue>>;
