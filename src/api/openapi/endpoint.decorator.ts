import { applyDecorators } from '@nestjs/common';
import { Public } from '../../auth/public.decorator.js';
import { Roles } from '../../auth/roles.decorator.js';
import { ApiDoc, type EndpointDoc } from './api-doc.decorator.js';

/** One decorator per endpoint: its documentation, and the roles (or public access) it documents, enforced. */
export function Endpoint(doc: EndpointDoc): MethodDecorator {
  const decorators: MethodDecorator[] = [ApiDoc(doc)];
  if (doc.public) decorators.push(Public());
  if (doc.roles) decorators.push(Roles(...doc.roles));
  return applyDecorators(...decorators);
}
