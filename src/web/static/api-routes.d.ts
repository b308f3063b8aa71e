// The types of /static/api-routes.js, which the server writes from the contract at start (static-files.ts).
import type { RouteName } from '../api-contract.js';

export declare const ROUTES: { readonly [K in RouteName]: { readonly method: 'GET' | 'POST'; readonly path: string } };
