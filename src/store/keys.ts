import { hashTagSlot, partitionTags } from './slots.js';

/**
 * The keys of one ingest partition, all under one hash tag (one Redis Cluster slot): its error stream
 * and everything the ingest script writes while counting that stream's entries. Partition 0 uses the
 * root tag, so a single-partition install keeps the layout it always had.
 */
function createPartitionKeys(index: number, tag: string) {
  const root = `{${tag}}`;
  return {
    index,
    root,
    /** Internal error events: any producer XADDs here (see the README for the field layout). */
    errors: `${root}:errors`,
    /**
     * Stream entries that kept failing to apply (ingest.maxTries), from any consumed stream: fields
     * `reason`, `source-stream`, `source-id`, `tries`, then the entry's own (`upcause dead-letters`).
     * Partition 0's (the root tag's) also takes the annotator's notices that kept failing.
     */
    deadLetters: `${root}:dead-letters`,
    /** One ingest request's outcome under its Idempotency-Key (digest of token name and key), with a TTL. */
    ingestRequest: (digest: string) => `${root}:ingest-request:${digest}`,
    /** Per-minute error counts: hash of series field → count (minute = epoch ms / 60000). */
    errorBucket: (minute: number) => `${root}:eb:${minute}`,
    /** Distinct customers per minute and (service, vendor, region): a HyperLogLog. */
    errorCustomers: (minute: number, scope: string) => `${root}:ec:${minute}:${scope}`,
    /**
     * One customer's failures in one hour (hour = epoch ms / 3600000): a hash of `<m>` → failures in
     * minute m of the hour (0–59; the field also marks the customer as recorded that minute) and
     * `<m>|<scope>` → failures per (service, vendor, region), scope as in `errorCustomers`.
     */
    customerFailures: (hour: number, customer: string) => `${root}:cf:${hour}:${customer}`,
    /** Per minute: customers recorded (`customers`, at most the cap) and failures left unrecorded past it (`dropped`). */
    customerFailuresMinute: (minute: number) => `${root}:cfm:${minute}`,
    /** A few example events per minute, newest first. */
    errorExemplars: (minute: number) => `${root}:ex:${minute}`,
    /** Producer event ids seen recently (dedupe window). */
    eventId: (id: string) => `${root}:eid:${id}`,
    /** A HyperLogLog union being built across partitions (a minute's TTL; see partition-reads). */
    scratch: (token: string) => `${root}:scratch:${token}`,
  };
}
export type PartitionKeys = ReturnType<typeof createPartitionKeys>;

/**
 * Every key upcause writes. Shared state sits under the root hash tag `{upcause}`; each ingest
 * partition's stream and counts under its own tag (partition 0 under the root's), so on a Redis
 * Cluster the error traffic spreads over the masters while every multi-key script and transaction
 * stays inside one slot. No key is built anywhere else: a reader of this file sees the whole layout
 * (the README's key table lists it for producers in other languages).
 *
 * `partitions`: ingest.partitions. A producer sends an event to `partitionOf(service, vendor)`;
 * readers add up every partition, so an event in another partition is still counted.
 */
export function createKeys(prefix: string, options: { partitions?: number } = {}) {
  const root = `{${prefix}}`;
  const partitions = partitionTags(prefix, options.partitions ?? 1).map((tag, i) =>
    createPartitionKeys(i, tag),
  );
  const first = partitions[0]!;
  return {
    root,
    /** The ingest partitions, in order; partitions[0] shares the root tag. */
    partitions,
    /**
     * The partition an event goes to, by its service and vendor as the producer wrote them:
     * `(crc16("<service>|<vendor>") % 16384) % N`, CRC16 as Redis Cluster computes slots (vendor ''
     * when absent). By the pair rather than the service alone, so a few services still spread.
     */
    partitionOf: (service: string, vendor?: string) =>
      partitions[hashTagSlot(`${service}|${vendor ?? ''}`) % partitions.length]!,
    /** The partition count the install last ran with (raising it is fine; lowering would strand data). */
    partitionCount: `${root}:ingest:partitions`,
    /** The error stream of every partition, in order: a list producers in other languages can read. */
    partitionStreams: `${root}:ingest:streams`,
    /** BullMQ prefix; queues append `:<queue>:…`. */
    bull: root,
    vendorIncidents: (vendor: string) => `${root}:vendor:${vendor}:incidents`,
    vendorOpen: (vendor: string) => `${root}:vendor:${vendor}:open`,
    /** Digest of each incident as the page showed it when last merged into its row, by incident id. */
    vendorDigests: (vendor: string) => `${root}:vendor:${vendor}:digests`,
    /** Resolutions and reopenings seen but not yet confirmed by enough polls in a row, by incident id. */
    vendorPending: (vendor: string) => `${root}:vendor:${vendor}:pending`,
    vendorStatus: (vendor: string) => `${root}:vendor:${vendor}:status`,
    /** Poll health hash; also holds the open blind span (`blindSince`, `blindReason`) while the page is unreadable. */
    vendorHealth: (vendor: string) => `${root}:vendor:${vendor}:health`,
    /** Closed blind spans of a vendor's page: sorted set, score = `until` (epoch ms), member = span JSON. */
    vendorBlind: (vendor: string) => `${root}:vendor:${vendor}:blind`,
    vendorLock: (vendor: string) => `${root}:vendor:${vendor}:lock`,
    vendorChanges: `${root}:vendor-changes`,
    validators: (url: string) => `${root}:http:${url}`,
    schedulerLock: `${root}:scheduler:lock`,
    /** Partition 0's ingest keys, which every install has (see createPartitionKeys). */
    errors: first.errors,
    deadLetters: first.deadLetters,
    ingestRequest: first.ingestRequest,
    errorBucket: first.errorBucket,
    errorCustomers: first.errorCustomers,
    customerFailures: first.customerFailures,
    customerFailuresMinute: first.customerFailuresMinute,
    errorExemplars: first.errorExemplars,
    eventId: first.eventId,
    /** Our incidents: JSON per id, plus a sorted set by start time. */
    incident: (id: string) => `${root}:inc:${id}`,
    incidentsByStart: `${root}:incidents`,
    /**
     * Incidents still relevant to the annotator: sorted set, score = until when (epoch ms; `+inf` while
     * open, resolution + a day once resolved). The incident writer keeps it; its tick reads only this.
     */
    incidentsActive: `${root}:incidents:active`,
    /** Set once `incidentsActive` was built from every stored incident (installs older than the index). */
    incidentsActiveBuilt: `${root}:incidents:active:built`,
    /** Stream of incident write notices (fields `id`, `change`, `at`): the correlator re-evaluates each. */
    incidentChanges: `${root}:incident-changes`,
    /** Our changes (deploys, config, flags): sorted set by time, JSON members. */
    changes: `${root}:changes`,
    /** Beside `changes`: hash of dedupe key → stored member. */
    changeIds: `${root}:changes:ids`,
    /** Suspected vendor issues inferred from our errors: JSON per id, plus open ones. */
    suspected: (id: string) => `${root}:suspect:${id}`,
    suspectedOpen: `${root}:suspects:open`,
    suspectedAll: `${root}:suspects`,
    /** The suspect evaluation lock: one detector judges or links at a time. */
    suspectsLock: `${root}:suspects:lock`,
    /** The last keys.vendorChanges entry the suspect linker handled. */
    suspectsCursor: `${root}:suspects:vendor-changes-cursor`,
    /** An incident's annotations: hash of `latest`, `evaluatedAt`, versions (`v:<N>`) and delivery marks (`d:<N>`). */
    annotation: (incidentId: string) => `${root}:ann:${incidentId}`,
    /** Annotated incidents: sorted set by the time each one's latest version was created. */
    annotations: `${root}:anns`,
    /** A delivery's done record (JSON), kept 30 days. */
    deliveryDone: (key: string) => `${root}:dlv:${key}`,
    /** A worker is sending this delivery now (token, expires after the sink timeout). */
    deliveryClaim: (key: string) => `${root}:dlv-claim:${key}`,
    /** Consecutive failed attempts of a sink (reset by a success). */
    sinkFailures: (sink: string) => `${root}:sink:${sink}:failures`,
    /** Set when a sink's failures reach the limit; delete it to re-enable. */
    sinkDisabled: (sink: string) => `${root}:sink:${sink}:disabled`,
    /** A digest period's run record (JSON: state, when, by whom, formats, where delivered). */
    digestRun: (period: string) => `${root}:digest:run:${period}`,
    /** Digest runs: sorted set by run time, member = period id. */
    digestRuns: `${root}:digest:runs`,
    /** Held by the scheduler process producing one period's digest. */
    digestLock: (period: string) => `${root}:digest:lock:${period}`,
    /** Scratch HyperLogLog a digest merges customers into; deleted when it is done. */
    digestCustomers: (token: string) => `${root}:digest:customers:${token}`,
    /** An alert condition's damping state per (event, vendor): JSON. */
    alertState: (event: string, vendor: string) => `${root}:alert:${event}:${vendor}`,
    /** Alerts raised: sorted set by time, JSON members (the payload sent). */
    alertLog: `${root}:alerts`,
    /** The alert evaluation lock: one worker judges alert conditions at a time. */
    alertsLock: `${root}:alerts:lock`,
    /** The retention trimmer's lock: one trimming pass at a time. */
    trimLock: `${root}:trim:lock`,
    /** One process's metrics (prom-client JSON) for `/metrics` to merge, with a TTL; see src/metrics/. */
    metricsSnapshot: (process: string) => `${root}:metrics:process:${process}`,
    /** Processes publishing metrics: sorted set, score = when each last published (epoch ms). */
    metricsProcesses: `${root}:metrics:processes`,
    /** API requests of `who` in fixed rate-limit window number `window`. */
    rateLimit: (window: number, who: string) => `${root}:rl:${window}:${who}`,
  };
}
export type Keys = ReturnType<typeof createKeys>;

/** The keys of an install as its config lays them out: `redis.prefix` and `ingest.partitions`. */
export function keysOf(config: { redis: { prefix: string }; ingest: { partitions: number } }): Keys {
  return createKeys(config.redis.prefix, { partitions: config.ingest.partitions });
}
/** The keys the ingest script writes while counting one partition's entries (a Keys gives partition 0's). */
export type BucketKeys = Pick<
  PartitionKeys,
  | 'errorBucket'
  | 'errorExemplars'
  | 'errorCustomers'
  | 'customerFailures'
  | 'customerFailuresMinute'
  | 'eventId'
>;
