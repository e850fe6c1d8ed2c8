/**
 * The metrics prom-client's `collectDefaultMetrics` registers, by name, with its help texts and
 * cluster aggregators, grouped by the prom-client module that defines them (`metricsList` lists
 * those module names). Which groups exist depends on the platform, as in prom-client; the
 * values come from this library's collectors.
 */
import type { Aggregator } from './types.js';

export interface DefaultMetricEntry {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly help: string;
  /** Label names besides the configured constant labels. */
  readonly labelNames: readonly string[];
  readonly aggregator: Aggregator;
}

interface Group {
  readonly module: string;
  readonly available: () => boolean;
  readonly metrics: readonly DefaultMetricEntry[];
}

const always = (): boolean => true;
const onLinux = (): boolean => process.platform === 'linux';

function gauge(name: string, help: string, aggregator: Aggregator = 'sum', labelNames: string[] = []) {
  return { name, type: 'gauge', help, labelNames, aggregator } as const;
}

const lag = (suffix: string, help: string, aggregator: Aggregator = 'average') =>
  gauge(`nodejs_eventloop_lag${suffix}_seconds`, help, aggregator);

const GROUPS: readonly Group[] = [
  {
    module: 'processCpuTotal',
    available: always,
    metrics: [
      ['process_cpu_user_seconds_total', 'Total user CPU time spent in seconds.'],
      ['process_cpu_system_seconds_total', 'Total system CPU time spent in seconds.'],
      ['process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.'],
    ].map(([name, help]) => ({
      name: name!,
      type: 'counter',
      help: help!,
      labelNames: [],
      aggregator: 'sum',
    })),
  },
  {
    module: 'processStartTime',
    available: always,
    metrics: [
      gauge('process_start_time_seconds', 'Start time of the process since unix epoch in seconds.', 'omit'),
    ],
  },
  {
    module: 'osMemoryHeap',
    available: always,
    metrics: [gauge('process_resident_memory_bytes', 'Resident memory size in bytes.')],
  },
  {
    module: 'osMemoryHeap',
    available: onLinux,
    metrics: [
      gauge('process_virtual_memory_bytes', 'Virtual memory size in bytes.'),
      gauge('process_heap_bytes', 'Process heap size in bytes.'),
    ],
  },
  {
    module: 'processOpenFileDescriptors',
    available: onLinux,
    metrics: [gauge('process_open_fds', 'Number of open file descriptors.')],
  },
  {
    module: 'processMaxFileDescriptors',
    available: onLinux,
    metrics: [gauge('process_max_fds', 'Maximum number of open file descriptors.')],
  },
  {
    module: 'eventLoopLag',
    available: always,
    metrics: [
      lag('', 'Lag of event loop in seconds.'),
      lag('_min', 'The minimum recorded event loop delay.', 'min'),
      lag('_max', 'The maximum recorded event loop delay.', 'max'),
      lag('_mean', 'The mean of the recorded event loop delays.'),
      lag('_stddev', 'The standard deviation of the recorded event loop delays.'),
      lag('_p50', 'The 50th percentile of the recorded event loop delays.'),
      lag('_p90', 'The 90th percentile of the recorded event loop delays.'),
      lag('_p99', 'The 99th percentile of the recorded event loop delays.'),
    ],
  },
  {
    module: 'processResources',
    available: () => typeof process.getActiveResourcesInfo === 'function',
    metrics: [
      gauge(
        'nodejs_active_resources',
        'Number of active resources that are currently keeping the event loop alive, grouped by async resource type.',
        'sum',
        ['type'],
      ),
      gauge('nodejs_active_resources_total', 'Total number of active resources.'),
    ],
  },
  {
    module: 'processHandles',
    available: () => typeof (process as { _getActiveHandles?: unknown })._getActiveHandles === 'function',
    metrics: [
      gauge(
        'nodejs_active_handles',
        'Number of active libuv handles grouped by handle type. Every handle type is C++ class name.',
        'sum',
        ['type'],
      ),
      gauge('nodejs_active_handles_total', 'Total number of active handles.'),
    ],
  },
  {
    module: 'processRequests',
    available: () => typeof (process as { _getActiveRequests?: unknown })._getActiveRequests === 'function',
    metrics: [
      gauge(
        'nodejs_active_requests',
        'Number of active libuv requests grouped by request type. Every request type is C++ class name.',
        'sum',
        ['type'],
      ),
      gauge('nodejs_active_requests_total', 'Total number of active requests.'),
    ],
  },
  {
    module: 'heapSizeAndUsed',
    available: always,
    metrics: [
      gauge('nodejs_heap_size_total_bytes', 'Process heap size from Node.js in bytes.'),
      gauge('nodejs_heap_size_used_bytes', 'Process heap size used from Node.js in bytes.'),
      gauge('nodejs_external_memory_bytes', 'Node.js external memory size in bytes.'),
    ],
  },
  {
    module: 'heapSpacesSizeAndUsed',
    available: always,
    metrics: ['total', 'used', 'available'].map((kind) =>
      gauge(
        `nodejs_heap_space_size_${kind}_bytes`,
        `Process heap space size ${kind} from Node.js in bytes.`,
        'sum',
        ['space'],
      ),
    ),
  },
  {
    module: 'version',
    available: always,
    metrics: [
      gauge('nodejs_version_info', 'Node.js version info.', 'first', ['version', 'major', 'minor', 'patch']),
    ],
  },
  {
    module: 'gc',
    available: always,
    metrics: [
      {
        name: 'nodejs_gc_duration_seconds',
        type: 'histogram',
        help: 'Garbage collection duration by kind, one of major, minor, incremental or weakcb.',
        labelNames: ['kind'],
        aggregator: 'sum',
      },
    ],
  },
];

/** The default metrics of this platform, prom-client's names before any prefix. */
export function defaultMetricEntries(): DefaultMetricEntry[] {
  return GROUPS.filter((g) => g.available()).flatMap((g) => g.metrics);
}

/** prom-client's `collectDefaultMetrics.metricsList`: the names of the modules that define the metrics. */
export function defaultMetricModules(): string[] {
  const modules = GROUPS.filter((g) => g.module !== 'processResources' || g.available()).map((g) => g.module);
  return [...new Set(modules)];
}
