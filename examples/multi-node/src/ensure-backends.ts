import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Creates the cloud's database if it does not exist yet (PostgreSQL or MariaDB), with the servers' own clients. */
export async function ensureDatabase(url: string): Promise<void> {
  const u = new URL(url);
  const name = u.pathname.replace(/^\//, '');
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`Database name "${name}" must be letters, digits and underscores.`);
  const host = u.hostname;
  const port = u.port;
  const user = decodeURIComponent(u.username);
  const env = { ...process.env, PGPASSWORD: decodeURIComponent(u.password), MYSQL_PWD: decodeURIComponent(u.password) };
  if (u.protocol.startsWith('postgres')) {
    const args = ['-h', host, '-p', port || '5432', '-U', user, '-d', 'postgres', '-tAc'];
    const { stdout } = await run('psql', [...args, `SELECT 1 FROM pg_database WHERE datname = '${name}'`], { env });
    if (stdout.trim() !== '1') await run('psql', [...args, `CREATE DATABASE ${name}`], { env });
  } else if (u.protocol === 'mariadb:' || u.protocol === 'mysql:') {
    await run('mysql', ['--protocol=tcp', '-h', host, '-P', port || '3306', '-u', user, '-e', `CREATE DATABASE IF NOT EXISTS ${name}`], { env });
  }
}

/** Makes the AMQP URL's vhost on the local RabbitMQ if it is missing (best effort: needs rabbitmqctl). */
export async function ensureVhost(amqpUrl: string): Promise<void> {
  const vhost = decodeURIComponent(new URL(amqpUrl).pathname.replace(/^\//, '')) || '/';
  if (vhost === '/') return;
  try {
    const { stdout } = await run('rabbitmqctl', ['-q', 'list_vhosts', 'name']);
    if (stdout.split('\n').includes(vhost)) return;
    await run('rabbitmqctl', ['-q', 'add_vhost', vhost]);
    await run('rabbitmqctl', ['-q', 'set_permissions', '-p', vhost, decodeURIComponent(new URL(amqpUrl).username) || 'guest', '.*', '.*', '.*']);
  } catch (err) {
    process.stderr.write(`note: could not make sure the RabbitMQ vhost ${vhost} exists (${(err as Error).message.split('\n')[0]})\n`);
  }
}
