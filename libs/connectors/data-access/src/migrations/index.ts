import { ConnectorDeliveries1767312000000 } from './1767312000000-connector-deliveries';
import { ConnectorErasures1767398400000 } from './1767398400000-connector-erasures';
import { ParkedTraceparent1767484800000 } from './1767484800000-parked-traceparent';

export const CONNECTORS_MIGRATIONS = [
  ConnectorDeliveries1767312000000,
  ConnectorErasures1767398400000,
  ParkedTraceparent1767484800000,
] as const;
