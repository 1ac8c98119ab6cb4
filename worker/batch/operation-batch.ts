import type { ProfileOperation } from './types.js';

/**
 * One request's operations kept as the JSON body that will be sent. Batches wait in the send queue for the
 * rate limit; as one string they take about half the memory of the operation objects and nothing for the
 * garbage collector to trace (bench:worker measures the worker's peak RSS). The objects are rebuilt only on
 * the rare paths that need them: partial errors and splitting a rejected request.
 */
export class OperationBatch {
  readonly count: number;
  readonly body: string;

  constructor(operations: readonly ProfileOperation[]) {
    this.count = operations.length;
    this.body = JSON.stringify(operations);
  }

  operations(): ProfileOperation[] {
    return JSON.parse(this.body) as ProfileOperation[];
  }
}

/** What the senders accept: operation objects, or a batch already serialised. */
export type Operations = readonly ProfileOperation[] | OperationBatch;

export const operationCount = (operations: Operations): number =>
  operations instanceof OperationBatch ? operations.count : operations.length;

export const operationList = (operations: Operations): readonly ProfileOperation[] =>
  operations instanceof OperationBatch ? operations.operations() : operations;

export const requestBody = (operations: Operations): string =>
  operations instanceof OperationBatch ? operations.body : JSON.stringify(operations);
