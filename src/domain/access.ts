/**
 * Who is asking and what they may see. The bureau sees everything; a street office its street
 * (its projects, the companies operating there); a company itself. Pure.
 */
export type Role = 'bureau' | 'street' | 'company';

export type AccessScope =
  { readonly kind: 'all' } | { readonly kind: 'street'; readonly streetCode: string } | { readonly kind: 'company'; readonly uscc: string };

export interface Principal {
  /** the key's id (0 for the CLI and the scheduler) */
  readonly keyId: number;
  /** recorded as the actor of what this principal does */
  readonly name: string;
  readonly role: Role;
  readonly scope: AccessScope;
}

export const EVERYTHING: AccessScope = { kind: 'all' };

export function scopeOf(role: Role, binding: { streetCode?: string | null; uscc?: string | null }): AccessScope {
  if (role === 'bureau') return EVERYTHING;
  if (role === 'street') return { kind: 'street', streetCode: binding.streetCode! };
  return { kind: 'company', uscc: binding.uscc! };
}

export function scopeText(scope: AccessScope): string {
  return scope.kind === 'all' ? '全部' : scope.kind === 'street' ? `街道 ${scope.streetCode}` : `企业 ${scope.uscc}`;
}
