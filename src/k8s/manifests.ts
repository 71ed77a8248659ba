/**
 * The Kubernetes objects of one distributed test, pure: a ConfigMap with the scenario bundle and its
 * data files, a results claim, an Indexed Job whose pod i runs segment i+1 of N from one shared
 * `--start-at`, and a merge Job that merges what the runners wrote and gates it once.
 *
 * The runners Job never re-runs a segment: a pod started again after the shared start would begin its
 * seconds late and add them on top of the others'. So `backoffLimitPerIndex: 0` (a failed index stays
 * failed and is listed in `status.failedIndexes`), `maxFailedIndexes: N` (the other segments run on),
 * and a `podFailurePolicy` that fails the index, rather than ignoring and replacing the pod, even when
 * the pod was disrupted (evicted, preempted). The merge then names the segment that is missing seconds.
 *
 * Field meanings from the Kubernetes documentation of Indexed Jobs, backoff limit per index (GA in
 * v1.33) and pod failure policy; validated in the tests against the v1.33.0 OpenAPI schemas shipped
 * in the npm package kubernetes-models 4.5.
 */
export const POD_PATHS = {
  /** the application in the image (Dockerfile) */
  app: '/app',
  cli: '/app/bin/capacity-test.js',
  /** the ConfigMap, mounted read-only */
  scenario: '/scenario',
  /** the results claim, shared by every pod */
  results: '/results',
  /** a writable emptyDir: the root filesystem is read-only */
  tmp: '/tmp',
} as const;

export const RUNNER_CONTAINER = 'runner';
export const MERGE_CONTAINER = 'merge';

/** One file of the ConfigMap: `key` is a valid ConfigMap key, `path` where it appears under /scenario. */
export interface ScenarioFile {
  key: string;
  path: string;
  bytes: Buffer;
}

export interface K8sPlan {
  /** a DNS-1123 label, the base of every object's name and of the results folder */
  name: string;
  namespace: string;
  image: string;
  parallelism: number;
  startAtMs: number;
  /** how long the runners may be active, counted from the Job's start (activeDeadlineSeconds) */
  runnersDeadlineSeconds: number;
  /** the bundle's key; it is also in `files` */
  bundleKey: string;
  files: ScenarioFile[];
  env: Record<string, string>;
  resources: { cpu?: string; memory?: string };
  results: { claim: string; create: boolean; size: string; storageClass?: string };
  /** the key of a baseline summary.json in the ConfigMap, for the merge Job's gate */
  baselineKey?: string;
}

type Obj = Record<string, unknown>;

export interface Manifests {
  configMap: Obj;
  /** null when the claim is an existing one (`--results-claim`) */
  resultsClaim: Obj | null;
  runners: Obj;
  merge: Obj;
}

const LABEL = 'capacity-test.io/test';

export function objectNames(name: string) {
  return { configMap: `${name}-scenario`, runners: `${name}-runners`, merge: `${name}-merge` };
}

/** Where the test's results live on the claim: runs/segment-<i>/ and merged/. */
export function resultsDir(name: string): string {
  return `${POD_PATHS.results}/${name}`;
}

/** Is this a UTF-8 text file (ConfigMap `data`) or bytes (`binaryData`, base64)? */
function isText(bytes: Buffer): boolean {
  return Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes) && !bytes.includes(0);
}

export function configMapData(files: readonly ScenarioFile[]): { data: Record<string, string>; binaryData: Record<string, string> } {
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  for (const f of files) {
    if (isText(f.bytes)) data[f.key] = f.bytes.toString('utf8');
    else binaryData[f.key] = f.bytes.toString('base64');
  }
  return { data, binaryData };
}

function envFlags(env: Record<string, string>): string[] {
  return Object.entries(env).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
}

/** The runner's command line in the pod (the local stand-in runs the very same one). */
export function runnerArgs(plan: K8sPlan): string[] {
  return ['node', POD_PATHS.cli, 'k8s-segment', `${POD_PATHS.scenario}/${plan.bundleKey}`,
    '--count', String(plan.parallelism), '--start-at', String(plan.startAtMs),
    '--results', resultsDir(plan.name), ...envFlags(plan.env)];
}

/** The merge Job's command line: wait for every segment (or the runners' deadline), merge, gate. */
export function mergeArgs(plan: K8sPlan): string[] {
  const waitUntil = plan.startAtMs + plan.runnersDeadlineSeconds * 1000;
  return ['node', POD_PATHS.cli, 'k8s-merge', resultsDir(plan.name), '--segments', String(plan.parallelism),
    '--wait-until', String(waitUntil),
    ...(plan.baselineKey ? ['--baseline', `${POD_PATHS.scenario}/${plan.baselineKey}`] : [])];
}

const securityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

function podSpec(plan: K8sPlan, container: Obj): Obj {
  return {
    restartPolicy: 'Never',
    // the image's user (Dockerfile: uid 10001); fsGroup lets it write on the claim
    securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001 },
    containers: [container],
    volumes: [
      { name: 'scenario', configMap: { name: objectNames(plan.name).configMap, items: plan.files.map((f) => ({ key: f.key, path: f.path })) } },
      { name: 'results', persistentVolumeClaim: { claimName: plan.results.claim } },
      { name: 'tmp', emptyDir: {} },
    ],
  };
}

function container(plan: K8sPlan, name: string, args: string[], env: Obj[]): Obj {
  const requests: Record<string, string> = {};
  if (plan.resources.cpu) requests.cpu = plan.resources.cpu;
  if (plan.resources.memory) requests.memory = plan.resources.memory;
  return {
    name, image: plan.image, imagePullPolicy: 'IfNotPresent',
    command: args.slice(0, 2), args: args.slice(2),
    env,
    // a load generator must not be throttled below what it asked for: limits = requests
    ...(Object.keys(requests).length ? { resources: { requests, limits: requests } } : {}),
    securityContext,
    volumeMounts: [
      { name: 'scenario', mountPath: POD_PATHS.scenario, readOnly: true },
      { name: 'results', mountPath: POD_PATHS.results },
      { name: 'tmp', mountPath: POD_PATHS.tmp },
    ],
  };
}

/** Who a runner is, from the downward API (recorded in its run.json, shown in the report's runner table). */
const RUNNER_ENV = [
  { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
  { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
  { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
];

export function buildManifests(plan: K8sPlan): Manifests {
  const names = objectNames(plan.name);
  const metadata = (name: string, extra: Obj = {}) => ({ name, namespace: plan.namespace, labels: { [LABEL]: plan.name }, ...extra });
  const { data, binaryData } = configMapData(plan.files);
  const configMap = {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: metadata(names.configMap),
    // the bundle must be what the runners run, byte for byte: immutable
    immutable: true,
    data, ...(Object.keys(binaryData).length ? { binaryData } : {}),
  };
  const resultsClaim = plan.results.create ? {
    apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: metadata(plan.results.claim),
    spec: {
      // pods of one Job land on several nodes: the claim must be mountable by all at once
      accessModes: ['ReadWriteMany'],
      resources: { requests: { storage: plan.results.size } },
      ...(plan.results.storageClass ? { storageClassName: plan.results.storageClass } : {}),
    },
  } : null;
  const n = plan.parallelism;
  const runners = {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: metadata(names.runners, { annotations: { 'capacity-test.io/start-at': new Date(plan.startAtMs).toISOString() } }),
    spec: {
      completionMode: 'Indexed',
      completions: n,
      parallelism: n,
      backoffLimitPerIndex: 0,
      maxFailedIndexes: n,
      activeDeadlineSeconds: plan.runnersDeadlineSeconds,
      podFailurePolicy: {
        rules: [
          // usage, environment, aborted (exit codes: docs/contracts.md): the segment is lost, never repeated
          { action: 'FailIndex', onExitCodes: { containerName: RUNNER_CONTAINER, operator: 'NotIn', values: [0] } },
          // evicted or preempted: replacing the pod would start the segment late, on top of the others
          { action: 'FailIndex', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
        ],
      },
      template: {
        metadata: { labels: { [LABEL]: plan.name, 'capacity-test.io/role': 'runner' } },
        spec: podSpec(plan, container(plan, RUNNER_CONTAINER, runnerArgs(plan), RUNNER_ENV)),
      },
    },
  };
  const merge = {
    apiVersion: 'batch/v1', kind: 'Job', metadata: metadata(names.merge),
    spec: {
      completions: 1, parallelism: 1, backoffLimit: 0,
      activeDeadlineSeconds: plan.runnersDeadlineSeconds + 900,
      template: {
        metadata: { labels: { [LABEL]: plan.name, 'capacity-test.io/role': 'merge' } },
        spec: podSpec(plan, container(plan, MERGE_CONTAINER, mergeArgs(plan), [])),
      },
    },
  };
  return { configMap, resultsClaim, runners, merge };
}
