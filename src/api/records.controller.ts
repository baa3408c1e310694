import { Controller, Get, Query } from '@nestjs/common';
import type { z } from 'zod';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import type { Principal } from '../domain/access.js';
import { ListsService } from '../lists/lists.service.js';
import { Endpoint } from './openapi/endpoint.decorator.js';
import { LedgerEntries, LedgerQuery, ListEntries, ListsQuery } from './records.dto.js';

@Controller()
export class RecordsController {
  constructor(private readonly lists: ListsService) {}

  @Get('lists')
  @Endpoint({
    tag: 'lists and ledger',
    summary: 'red and black list entries (with their history) started by the end of the period, in scope',
    status: 200,
    response: ListEntries,
    responseDescription: 'entries',
  })
  entries(@Query({ schema: ListsQuery }) query: z.infer<typeof ListsQuery>, @CurrentPrincipal() principal: Principal): Promise<ListEntries> {
    return this.lists.entries(query.period, principal.scope);
  }

  @Get('ledger')
  @Endpoint({
    tag: 'lists and ledger',
    summary: 'credit ledger (诚信台账) entries dated in a range, in scope; reversals included',
    status: 200,
    response: LedgerEntries,
    responseDescription: 'entries',
  })
  ledger(@Query({ schema: LedgerQuery }) query: z.infer<typeof LedgerQuery>, @CurrentPrincipal() principal: Principal): Promise<LedgerEntries> {
    return this.lists.ledger(query.from, query.to, principal.scope);
  }
}
