import { errorBody, timestampsAsFloatSeconds, type CannedQuery, type JobState } from './bigquery-double-model.js';

/**
 * Job side of the BigQuery test double: jobs.insert (dry run or real), jobs.get resources and
 * jobs.getQueryResults pages, over canned results. Pure functions of the job state, so the
 * server file only routes.
 */
export type Reply = (status: number, payload: unknown) => void;

export interface JobInsert {
  jobReference?: { jobId?: string; location?: string };
  configuration?: { dryRun?: boolean; query?: { query?: string; maximumBytesBilled?: string } & Record<string, unknown> };
}

/** The job an insert request creates, failed up front when it would bill over its ceiling. */
export function newJob(body: JobInsert | undefined, canned: CannedQuery, projectId: string, fallbackId: string): JobState {
  const configuration = body?.configuration ?? {};
  const dryRun = configuration.dryRun === true;
  const job: JobState = {
    jobId: body?.jobReference?.jobId ?? fallbackId,
    projectId,
    location: body?.jobReference?.location ?? 'US',
    dryRun,
    configuration: configuration as Record<string, unknown>,
    canned,
    state: dryRun || !canned.hold ? 'DONE' : 'RUNNING',
    cancelled: false,
  };
  // BigQuery enforces maximumBytesBilled itself (it may bill more than it processes: minimums).
  const ceiling = configuration.query?.maximumBytesBilled;
  const billed = canned.bytesBilled ?? canned.bytesProcessed;
  if (!dryRun && ceiling !== undefined && billed > Number(ceiling)) {
    job.error = { code: 400, reason: 'bytesBilledLimitExceeded', message: `Query exceeded limit for bytes billed: ${ceiling}. ${String(billed)} or higher required.` };
  } else if (!dryRun && canned.runError) job.error = canned.runError;
  return job;
}

export function cancelJob(job: JobState): void {
  job.cancelled = true;
  if (job.state === 'RUNNING') {
    job.state = 'DONE';
    job.error = { code: 400, reason: 'stopped', message: 'Job execution was cancelled: User requested cancellation' };
  }
}

export function jobResource(job: JobState): Record<string, unknown> {
  const { canned } = job;
  const done = job.state === 'DONE';
  const billed = canned.bytesBilled ?? canned.bytesProcessed;
  const query = {
    totalBytesProcessed: String(canned.bytesProcessed),
    statementType: canned.statementType ?? 'SELECT',
    ...(canned.referencedTables
      ? { referencedTables: canned.referencedTables.map((t) => ({ projectId: t.projectId ?? job.projectId, datasetId: t.datasetId, tableId: t.tableId })) }
      : {}),
    ...(job.dryRun ? { schema: { fields: canned.schema } } : done && !job.error ? { totalBytesBilled: String(billed) } : {}),
  };
  return {
    kind: 'bigquery#job',
    id: `${job.projectId}:${job.location}.${job.jobId}`,
    jobReference: { projectId: job.projectId, jobId: job.jobId, location: job.location },
    configuration: job.configuration,
    status: { state: job.state, ...(job.error ? { errorResult: { reason: job.error.reason, message: job.error.message } } : {}) },
    statistics: { totalBytesProcessed: String(canned.bytesProcessed), query },
  };
}

/** jobs.getQueryResults: "not complete" while held, the job's error, or one page of rows. */
export function queryResults(job: JobState, q: URLSearchParams, reply: Reply): void {
  const reference = { projectId: job.projectId, jobId: job.jobId, location: job.location };
  if (job.error) return reply(job.error.code, errorBody(job.error.code, job.error.reason, job.error.message));
  // A held job long-polls briefly, like BigQuery's own wait, then reports "not complete".
  if (job.state === 'RUNNING') {
    setTimeout(() => reply(200, { kind: 'bigquery#getQueryResultsResponse', jobReference: reference, jobComplete: false }), 20);
    return;
  }
  const { canned } = job;
  const start = Number(q.get('pageToken') ?? '0');
  const asked = q.has('maxResults') ? Number(q.get('maxResults')) : Infinity;
  const size = Math.min(asked, canned.pageSize ?? Infinity);
  const slice = canned.rows.slice(start, start + size);
  const end = start + slice.length;
  const rows = q.get('formatOptions.useInt64Timestamp') === 'true' ? slice : timestampsAsFloatSeconds(slice, canned.schema);
  reply(200, {
    kind: 'bigquery#getQueryResultsResponse',
    jobReference: reference,
    jobComplete: true,
    schema: { fields: canned.schema },
    rows,
    totalRows: String(canned.rows.length),
    totalBytesProcessed: String(canned.bytesProcessed),
    cacheHit: false,
    ...(end < canned.rows.length ? { pageToken: String(end) } : {}),
  });
}
