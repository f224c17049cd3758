// Refuses, and records, every outgoing TCP connection to anything but loopback. Loaded into every
// test process (jest setup) and, through NODE_OPTIONS, into the processes `npm start` spawns
// under test, so that "nothing leaves the machine" is checked rather than assumed.
'use strict';
const net = require('node:net');
const fs = require('node:fs');

const LOOPBACK_NAMES = new Set(['localhost', 'ip6-localhost', 'ip6-loopback']);

/** True when a connection to `host` stays on this machine. */
function isLoopbackHost(host) {
  if (host === undefined || host === null || host === '') return true; // Node's default is localhost
  const name = String(host).toLowerCase().replace(/^\[|\]$/g, '');
  if (LOOPBACK_NAMES.has(name)) return true;
  if (net.isIPv4(name)) return name.startsWith('127.');
  if (net.isIPv6(name)) return name === '::1' || /^::ffff:127\./.test(name);
  return false;
}

// Kept on the (process-wide) socket prototype: Jest gives each test file its own module registry.
if (!net.Socket.prototype.__loopbackViolations) {
  Object.defineProperty(net.Socket.prototype, '__loopbackViolations', { value: [] });
}
const violations = net.Socket.prototype.__loopbackViolations;

function targetOf(args) {
  const first = args[0];
  if (Array.isArray(first)) return targetOf(first); // internal normalized form
  if (first && typeof first === 'object') return first.path ? { path: first.path } : { host: first.host, port: first.port };
  if (typeof first === 'string' && Number.isNaN(Number(first))) return { path: first };
  return { host: typeof args[1] === 'string' ? args[1] : undefined, port: first };
}

if (!net.Socket.prototype.__loopbackGuard) {
  const originalConnect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(...args) {
    const target = targetOf(args);
    if (!target.path && !isLoopbackHost(target.host)) {
      const violation = `${process.pid} ${process.argv.slice(1).join(' ')} -> ${target.host}:${target.port}`;
      violations.push(violation);
      if (process.env.LOOPBACK_GUARD_LOG) fs.appendFileSync(process.env.LOOPBACK_GUARD_LOG, `${violation}\n`);
      const error = new Error(`loopback guard: connection to ${target.host}:${target.port} refused`);
      process.nextTick(() => this.destroy(error));
      return this;
    }
    return originalConnect.apply(this, args);
  };
  Object.defineProperty(net.Socket.prototype, '__loopbackGuard', { value: true });
}

module.exports = { isLoopbackHost, violations };
