export { Detector, REVISE_MS, type Judging } from './detector.js';
export { alertId, subjectKey } from './subjects.js';
export { Baseline, medianOf } from './baseline.js';
export { Lateness } from './lateness.js';
export {
  judgeBreach,
  judgeClear,
  idleState,
  isAlerting,
  type Phase,
  type SeriesState,
  type Transition,
} from './machine.js';
export {
  ruleSchema,
  rulesSchema,
  alertingSchema,
  thresholdOf,
  needsBaseline,
  RULE_METRICS,
  type Rule,
  type RuleInput,
  type RuleMetric,
  type AlertingSettings,
} from './rules.js';
export { silenceRequestSchema, ackRequestSchema, silenceMatches, newSilence } from './silences.js';
export { assignIncidents, linked } from './incidents.js';
export { createMemoryStore, type AlertStore } from './store.js';
export { formatMetric } from './format.js';
export { explain, describeCondition, subjectLabel, SPARKLINE_SECONDS } from './explain.js';
export { mergePorts, portsOf, portSide, serviceName, PORT_SECONDS, PORTS_LISTED } from './ports.js';
export {
  metricOf,
  type Contributors,
  type KeySample,
  type SampledFlowView,
  type SecondView,
  type SubjectRef,
  type TrafficReader,
} from './reader.js';
export { DEFAULT_RULES } from './defaultRules.js';
