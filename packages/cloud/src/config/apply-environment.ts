import { BadRequest, type LogLevel } from '@nubo/core';
import type { DriverName, NuboConfig } from './nubo-config.js';

/**
 * Environment overrides, applied over the file: what differs per machine or per deployment
 * (addresses, secrets) without a file per process.
 *
 * NUBO_DATABASE_URL, NUBO_AMQP_URL, NUBO_AMQP_EXCHANGE, NUBO_HOST_NAME, NUBO_IMAGE_DATA_DIR,
 * NUBO_LOG_LEVEL, NUBO_API_HOST, NUBO_IDENTITY_PORT, NUBO_COMPUTE_PORT, NUBO_IMAGE_PORT,
 * NUBO_REPORT_INTERVAL_SEC, NUBO_SERVICE_DOWN_TIME_SEC, NUBO_COMPUTE_DRIVER.
 */
export function applyEnvironment(config: NuboConfig, env: NodeJS.ProcessEnv): NuboConfig {
  const out: NuboConfig = structuredClone(config);
  if (env.NUBO_DATABASE_URL) out.database.url = env.NUBO_DATABASE_URL;
  if (env.NUBO_AMQP_URL) out.amqp.url = env.NUBO_AMQP_URL;
  if (env.NUBO_AMQP_EXCHANGE) out.amqp.exchange = env.NUBO_AMQP_EXCHANGE;
  if (env.NUBO_HOST_NAME) out.hostName = env.NUBO_HOST_NAME;
  if (env.NUBO_IMAGE_DATA_DIR) out.imageDataDir = env.NUBO_IMAGE_DATA_DIR;
  if (env.NUBO_LOG_LEVEL) out.logLevel = env.NUBO_LOG_LEVEL as LogLevel;
  if (env.NUBO_API_HOST) out.api.host = env.NUBO_API_HOST;
  if (env.NUBO_IDENTITY_PORT) out.api.ports.identity = port(env.NUBO_IDENTITY_PORT, 'NUBO_IDENTITY_PORT');
  if (env.NUBO_COMPUTE_PORT) out.api.ports.compute = port(env.NUBO_COMPUTE_PORT, 'NUBO_COMPUTE_PORT');
  if (env.NUBO_IMAGE_PORT) out.api.ports.image = port(env.NUBO_IMAGE_PORT, 'NUBO_IMAGE_PORT');
  if (env.NUBO_REPORT_INTERVAL_SEC) out.timings.reportIntervalSec = seconds(env.NUBO_REPORT_INTERVAL_SEC, 'NUBO_REPORT_INTERVAL_SEC');
  if (env.NUBO_SERVICE_DOWN_TIME_SEC) out.timings.serviceDownTimeSec = seconds(env.NUBO_SERVICE_DOWN_TIME_SEC, 'NUBO_SERVICE_DOWN_TIME_SEC');
  if (env.NUBO_COMPUTE_DRIVER) out.compute.driver = env.NUBO_COMPUTE_DRIVER as DriverName;
  return out;
}

function port(v: string, name: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new BadRequest(`${name} must be a port number (0-65535), not "${v}".`);
  return n;
}

function seconds(v: string, name: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new BadRequest(`${name} must be a positive number of seconds, not "${v}".`);
  return n;
}
