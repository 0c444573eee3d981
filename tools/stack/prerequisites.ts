import { spawnSync } from 'node:child_process';
import { childFailure } from './children';
import { DOCKER_ALTERNATIVE, StackError } from './errors';

/** Java's major version from `java -version`, or why there is no usable java on PATH. */
export function javaMajorVersion(javaHome = process.env['JAVA_HOME']): number | { failure: string } {
  const java = javaHome ? `${javaHome}/bin/java` : 'java';
  const result = spawnSync(java, ['-version'], { encoding: 'utf8' });
  const failure = childFailure(java, result);
  if (failure !== undefined) return { failure };
  const match = /version "(\d+)(?:\.(\d+))?/.exec(result.stderr);
  if (!match) return { failure: `${java} -version printed no version` };
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major;
}

export function javaCommand(): string {
  const home = process.env['JAVA_HOME'];
  return home ? `${home}/bin/java` : 'java';
}

export function requireJava(): void {
  const major = javaMajorVersion();
  if (typeof major !== 'number') {
    throw new StackError(
      'java',
      `Java 17+ is needed to run Kafka and the schema registry, and none was found on PATH (${major.failure}); install a JDK 17+ (${DOCKER_ALTERNATIVE})`,
    );
  }
  if (major < 17) {
    throw new StackError(
      'java',
      `Java ${major} found, Kafka and the schema registry need Java 17+; install a JDK 17+ (${DOCKER_ALTERNATIVE})`,
    );
  }
}

export function requireMaven(): void {
  const failure = childFailure('mvn', spawnSync('mvn', ['-v'], { encoding: 'utf8' }));
  if (failure !== undefined) {
    throw new StackError(
      'maven',
      `Maven (mvn) is needed once to fetch the Kafka jars from Maven Central and was not found on PATH (${failure}); install Maven 3.6+ (${DOCKER_ALTERNATIVE})`,
    );
  }
}
