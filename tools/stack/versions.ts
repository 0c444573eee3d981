/**
 * The one place that pins the versions of the local stack's components.
 * Kafka 3.9.x is the low-risk pairing with KafkaJS 2.2.4 (see docs/local-stack.md).
 */
export const KAFKA_VERSION = '3.9.1';
export const SLF4J_RELOAD4J_VERSION = '1.7.36';
export const RELOAD4J_VERSION = '1.2.25';
/**
 * 3.0.9: the newest bundle on Maven Central that runs on Java 17 (3.3.1 is not published there; 3.3.2+ is
 * compiled for Java 21). It serves the Confluent-compatible API at /apis/ccompat/v7.
 */
export const APICURIO_VERSION = '3.0.9';
export const MAVEN_DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';
export const MAVEN_CENTRAL = 'https://repo.maven.apache.org/maven2';
