// `npm start`: runs server.ts in a process group of its own and passes signals on to it.
// - Ctrl-C in a terminal sends SIGINT to the whole foreground group. Had the server's embedded
//   PostgreSQL been in it, the database would stop at once, under requests still in flight.
// - npm passes SIGTERM and SIGINT to this process only, so this process must pass them on.
// It exits with the server's exit code, once the server (and its database) have stopped.
import { spawn } from 'node:child_process';

const server = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], { stdio: 'inherit', detached: true });

let passedOn = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    // A terminal's Ctrl-C reaches this process twice (from the terminal and from npm): pass it once.
    if (passedOn) return;
    passedOn = true;
    // A closed terminal (SIGHUP) is a request to stop like any other.
    server.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal);
  });
}
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
