import { ConnectorDeliveries1767312000000 } from './1767312000000-connector-deliveries';
import { ConnectorErasures1767398400000 } from './1767398400000-connector-erasures';

export const CONNECTORS_MIGRATIONS = [
  ConnectorDeliveries1767312000000,
  ConnectorErasures1767398400000,
] as const;
