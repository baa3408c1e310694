import type { BodySchema } from './body.js';

export interface DecisionBody {
  outcome: 'accept' | 'reject';
  reason: string;
  reviewer?: string;
  level?: 'street' | 'bureau';
  value?: string;
}

export const DECISION_BODY: BodySchema = {
  outcome: {
    type: 'string',
    required: true,
    enum: ['accept', 'reject'],
    description: 'accept: street forwards to the bureau, bureau corrects the fact; reject',
  },
  reason: { type: 'string', required: true, nonBlank: true, description: 'the written reason (Chinese)' },
  reviewer: { type: 'string', nonBlank: true, description: 'the reviewer’s name (default: the key’s name)' },
  level: { type: 'string', enum: ['street', 'bureau'], description: 'refuse if the line awaits the other level' },
  value: { type: 'string', description: 'bureau only: the corrected value when it differs from the claim' },
};

export interface RepairApplicationBody {
  company: string;
  entryId?: number;
  rectification: string;
  evidence: string;
  applicant?: string;
}

export const REPAIR_APPLICATION_BODY: BodySchema = {
  company: { type: 'string', required: true, description: '统一社会信用代码' },
  entryId: { type: 'integer', description: 'the black-list entry (needed when the company has several)' },
  rectification: { type: 'string', required: true, nonBlank: true },
  evidence: { type: 'string', required: true, nonBlank: true, description: 'file names or links' },
  applicant: { type: 'string', nonBlank: true, description: 'default: the key’s name' },
};

export interface RepairDecisionBody {
  approve: boolean;
  reason: string;
  reviewer?: string;
}

export const REPAIR_DECISION_BODY: BodySchema = {
  approve: { type: 'boolean', required: true },
  reason: { type: 'string', required: true, nonBlank: true },
  reviewer: { type: 'string', nonBlank: true, description: 'default: the key’s name' },
};
