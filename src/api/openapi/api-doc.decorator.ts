import { SetMetadata } from '@nestjs/common';
import type { Role } from '../../domain/access.js';
import type { BodySchema } from '../body.js';

export interface ParameterDoc {
  readonly description: string;
  readonly required?: boolean;
  readonly enum?: readonly string[];
  readonly type?: 'string' | 'integer';
}

/** What the OpenAPI document says about one endpoint; the body schema is the one the endpoint checks. */
export interface EndpointDoc {
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  /** roles allowed (in addition to the scope checks inside); absent: every role */
  readonly roles?: readonly Role[];
  /** no API key needed */
  readonly public?: boolean;
  readonly query?: Readonly<Record<string, ParameterDoc>>;
  readonly params?: Readonly<Record<string, ParameterDoc>>;
  /** a JSON body checked against this schema, or an uploaded .xlsx file (multipart field `file`) */
  readonly body?: BodySchema | 'xlsx-upload';
  /** what a success returns */
  readonly returns: { readonly status: number; readonly description: string; readonly content?: 'json' | 'xlsx' | 'html' };
}

export const API_DOC = 'redprop:api-doc';

export const ApiDoc = (doc: EndpointDoc) => SetMetadata(API_DOC, doc);
