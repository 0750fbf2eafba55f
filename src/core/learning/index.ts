export {
  LearningSystem,
  type LearningSnapshot,
  type LearningSystemOptions,
  type ServerEstimate,
  type TrackedOutcome,
} from './learning-system';
export { OutcomeType } from './outcome';
