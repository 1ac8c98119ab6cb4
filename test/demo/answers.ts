/**
 * The demo's answers to init, saved in the working folder's batch-snowflake.json before init runs: on a terminal
 * the wizard offers each as the default (the user just presses enter), in a scripted run it takes them as saved.
 * Column choices are what the wizard itself suggests for the demo view (DATE/TIMESTAMP columns as dates, the
 * column of https links as URLs). The Batch API host is the sandbox's (only settable through this file).
 */
import type { ProjectConfig } from '../../src/config/project-config.js';
import { DEMO_OBJECTS } from '../standins/snowflake/engine/seed.js';

/** A dedicated schema for the integration's objects (the demo creates it, as an admin would). */
export const TARGET_SCHEMA = 'DEMO_DB.BATCH_SYNC';
export const DEMO_VIEW = DEMO_OBJECTS.view;
export const DEMO_TABLE = DEMO_OBJECTS.table;
export const ID_COLUMN = 'CUSTOMER_ID';
export const IMAGE_TAG = 'demo';

export function demoAnswers(given: { projectKey: string; batchApiHost: string; role: string; warehouse: string }): ProjectConfig {
  return {
    version: 1,
    answers: {
      target: TARGET_SCHEMA,
      source: { kind: 'view', view: DEMO_VIEW },
      idColumn: ID_COLUMN,
      dateColumns: ['SIGNUP_DATE', 'LAST_LOGIN_AT'],
      urlColumns: ['PROFILE_URL'],
      projectKey: given.projectKey,
      credentials: 'secret',
      warehouse: given.warehouse,
      role: given.role,
      computePool: 'BATCH_SYNC_POOL',
      instanceFamily: 'CPU_X64_XS',
      autoSuspendSecs: 300,
      imageRepository: 'BATCH_SYNC_REPOSITORY',
      schedule: '60 MINUTE',
      skipEmptyRuns: true,
      initialSync: true,
      imageTag: IMAGE_TAG,
      skipImage: false,
      batchApiHost: given.batchApiHost,
      names: {},
    },
    created: [],
  };
}
