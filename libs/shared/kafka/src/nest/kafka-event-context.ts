import { BaseRpcContext } from '@nestjs/microservices';
import type { ConsumedEvent } from '../consumer';

/** What a handler can ask for with `@Ctx()`: the topic, partition, offset, key and headers of the event. */
export class KafkaEventContext extends BaseRpcContext<[ConsumedEvent<unknown>]> {
  get event(): ConsumedEvent<unknown> {
    return this.getArgByIndex(0);
  }
}
