import { UserError } from '../../shared/errors.js';
import { valueExcerpt } from '../../shared/payload/excerpt.js';
import type { Endpoint } from '../batch/constants.js';
import { operationCount, operationList, type Operations } from '../batch/operation-batch.js';
import type { ItemError, ProfileOperation, SendOutcome } from '../batch/types.js';
import type { RejectedRecord } from './state-writer.js';

export interface ProfileSender {
  send(endpoint: Endpoint, operations: Operations, signal?: AbortSignal): Promise<SendOutcome>;
}

/** Statuses that mean the configuration is wrong (key, project, URL/version): every request would fail. */
const FATAL_STATUSES = new Set([401, 403, 404]);
/** Single operations rejected in a row with nothing accepted: the payload shape itself is wrong. */
const MAX_REJECTED_SINGLES_BEFORE_ANY_SUCCESS = 20;

export interface BatchDelivery {
  accepted: number;
  rejections: RejectedRecord[];
}

function partialErrorRecord(error: ItemError, operation: ProfileOperation | undefined): RejectedRecord {
  const attributes = operation?.attributes ?? {};
  const key = error.attribute;
  const value = key === undefined ? undefined : (attributes[key] ?? attributes[`date(${key})`] ?? attributes[`url(${key})`]);
  return {
    customId: error.customId ?? null,
    attribute: key ?? null,
    valueExcerpt: value === undefined ? null : valueExcerpt(value),
    reason: error.category,
    message: error.reason,
    origin: 'batch',
  };
}

/**
 * Delivers one batch. Partial errors become rejection records (the rest of each profile was applied).
 * A permanent 4xx rejects the whole request, so the batch is split in halves until the bad operation is
 * isolated: the good rows still go through and only the culprit is recorded. 401/403/404 stop the run.
 */
export class BatchDeliverer {
  private acceptedRequests = 0;
  private rejectedSingles = 0;

  constructor(
    private readonly sender: ProfileSender,
    private readonly endpoint: Endpoint,
  ) {}

  async deliver(batch: Operations, signal: AbortSignal): Promise<BatchDelivery> {
    const outcome = await this.sender.send(this.endpoint, batch, signal);
    if (outcome.kind === 'accepted') {
      this.acceptedRequests++;
      const sent = outcome.itemErrors.length > 0 ? operationList(batch) : [];
      return {
        accepted: operationCount(batch),
        rejections: outcome.itemErrors.map((e) => partialErrorRecord(e, sent[e.bulkIndex])),
      };
    }
    if (FATAL_STATUSES.has(outcome.status)) {
      throw new UserError('batch', `BATCH_HTTP_${outcome.status}`, `Batch answered HTTP ${outcome.status} ${outcome.errorCode ?? ''}: ${outcome.message}`, {
        suggestion:
          outcome.status === 404
            ? 'Check BATCH_API_URL (and the API version) points at the Batch API.'
            : 'Check the project key (--project-key) and the REST API key (BATCH_REST_API_KEY or the credentials table).',
      });
    }
    const operations = operationList(batch);
    if (operations.length === 1) return this.rejectSingle(operations[0]!, outcome);
    const middle = Math.ceil(operations.length / 2);
    const first = await this.deliver(operations.slice(0, middle), signal);
    const second = await this.deliver(operations.slice(middle), signal);
    return { accepted: first.accepted + second.accepted, rejections: [...first.rejections, ...second.rejections] };
  }

  private rejectSingle(operation: ProfileOperation, outcome: Extract<SendOutcome, { kind: 'rejected' }>): BatchDelivery {
    this.rejectedSingles++;
    if (this.acceptedRequests === 0 && this.rejectedSingles >= MAX_REJECTED_SINGLES_BEFORE_ANY_SUCCESS) {
      throw new UserError('batch', 'BATCH_REJECTS_EVERYTHING', `Batch rejected ${this.rejectedSingles} operations one by one and accepted none (HTTP ${outcome.status} ${outcome.errorCode ?? ''}: ${outcome.message}).`, {
        suggestion: 'Check BATCH_API_URL and the API version; the unsent rows stay in the outbox for the next run.',
      });
    }
    return {
      accepted: 0,
      rejections: [
        {
          customId: operation.identifiers.custom_id,
          attribute: null,
          valueExcerpt: valueExcerpt(JSON.stringify(operation.attributes ?? {})),
          reason: `http_${outcome.status}`,
          message: `${outcome.errorCode ?? 'rejected'}: ${outcome.message}`,
          origin: 'batch',
        },
      ],
    };
  }
}
