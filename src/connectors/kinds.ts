import type { ConnectorConfig } from '../config/schema.js';
import type { Logger } from '../logging/logger.js';
import type { Connector } from './types.js';
import type { BigqueryClientSeams } from './bigquery/client.js';
import { configError } from '../results/errors.js';

/**
 * Kind → factory. Each factory sits behind a dynamic import, so a connector's code (and its
 * cloud SDK) is loaded only when that connector is first used, never at server start.
 */
export interface ConnectorContext {
  logger?: Logger;
  /** Base for relative `local` roots; the process cwd when absent. */
  baseDir?: string;
  /**
   * Test seams (e.g. a static-token auth client for the BigQuery double). Set only by code
   * that builds the runtime — never from config or a tool argument.
   */
  seams?: { bigquery?: BigqueryClientSeams };
}

export type ConnectorFactory<C extends ConnectorConfig> = (name: string, config: C, context: ConnectorContext) => Promise<Connector>;

type ConfigOfKind<K extends ConnectorConfig['kind']> = Extract<ConnectorConfig, { kind: K }>;

export async function createConnector(name: string, config: ConnectorConfig, context: ConnectorContext): Promise<Connector> {
  switch (config.kind) {
    case 'local': {
      const { createLocalConnector }: { createLocalConnector: ConnectorFactory<ConfigOfKind<'local'>> } = await import('./local/index.js');
      return createLocalConnector(name, config, context);
    }
    case 's3': {
      const { createS3Connector }: { createS3Connector: ConnectorFactory<ConfigOfKind<'s3'>> } = await import('./s3/index.js');
      return createS3Connector(name, config, context);
    }
    case 'redshift': {
      const { createRedshiftConnector }: { createRedshiftConnector: ConnectorFactory<ConfigOfKind<'redshift'>> } = await import('./redshift/index.js');
      return createRedshiftConnector(name, config, context);
    }
    case 'gcs': {
      const { createGcsConnector }: { createGcsConnector: ConnectorFactory<ConfigOfKind<'gcs'>> } = await import('./gcs/index.js');
      return createGcsConnector(name, config, context);
    }
    case 'postgres': {
      const { createPostgresConnector }: { createPostgresConnector: ConnectorFactory<ConfigOfKind<'postgres'>> } = await import('./postgres/index.js');
      return createPostgresConnector(name, config, context);
    }
    case 'bigquery': {
      const { createBigqueryConnector }: { createBigqueryConnector: ConnectorFactory<ConfigOfKind<'bigquery'>> } = await import('./bigquery/index.js');
      return createBigqueryConnector(name, config, context);
    }
    case 'dynamodb': {
      const { createDynamodbConnector }: { createDynamodbConnector: ConnectorFactory<ConfigOfKind<'dynamodb'>> } = await import('./dynamodb/index.js');
      return createDynamodbConnector(name, config, context);
    }
    // Every configured kind has a case; a kind from a newer config (or an unchecked caller) is
    // refused clearly rather than half-served.
    default:
      throw configError(`connector ${name}: kind "${(config as { kind: string }).kind}" is not available in this version of data-mcp`, 'Use a local or s3 connector, or upgrade data-mcp.');
  }
}
