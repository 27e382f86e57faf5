export {
  createPublisher,
  type IoServer,
  type LiveView,
  type PublisherOptions,
} from './publisher.js';
