import { ConnectorDeliveries1767312000000 } from './1767312000000-connector-deliveries';

export const CONNECTORS_MIGRATIONS = [ConnectorDeliveries1767312000000] as const;
