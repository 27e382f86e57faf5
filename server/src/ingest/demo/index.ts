export { createDemoSource, type DemoSourceOptions } from './demoSource.js';
export {
  createScenario,
  DEMO_SERVICES,
  DEMO_SAMPLING,
  type Phase,
  type Scenario,
  type ScenarioOptions,
} from './scenario.js';
export { COUNTRY_PREFIXES } from './prefixes.js';
