/**
 * Started inside the hub network namespace (`ip netns exec … node netns-forwarder-main.js ADDR SOCK`):
 * listens on ADDR, port 0, prints the port on its first line, and joins each connection to the Unix
 * socket SOCK (the host side of src/run/forwarder.ts). Exits when its parent's pipe (its stdin) closes.
 */
import { createConnection, type AddressInfo } from 'node:net';
import { relay } from './forwarder.js';

const [address, socketPath] = process.argv.slice(2);
if (!address || !socketPath) {
  process.stderr.write('usage: netns-forwarder-main ADDRESS UNIX_SOCKET\n');
  process.exit(2);
}
const server = relay(() => createConnection(socketPath));
server.listen(0, address, () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
// the parent holds our stdout: when it goes, so do we
process.stdout.on('error', () => process.exit(0));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
