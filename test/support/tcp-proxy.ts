import { createServer, connect, type Server, type Socket } from "node:net";

/**
 * A loopback TCP proxy between test clients and a server, to break the link at the transport
 * (not by `leave`): `cut()` destroys the current sockets (both ends see a reset, 1006), `pause()`
 * stops forwarding but keeps the sockets open (a silent half-open link: no FIN, no RST, nothing
 * arrives), `resume()` forwards again (bytes held while paused are then delivered), `close()`
 * ends it all. New connections made while paused are accepted but stay silent too.
 */
export interface TcpProxy {
  readonly port: number;
  /** `http://127.0.0.1:<proxy port>`: give this to clients instead of the server's endpoint. */
  readonly endpoint: string;
  /** Forward to another port from now on (e.g. a restarted server on a new port). */
  retarget(targetPort: number): void;
  cut(): void;
  /**
   * One-shot: the next chunk in `direction` for which `match` is true is NOT forwarded; every
   * connection is cut instead. Server → client frames are unmasked, so a reply can be recognised
   * by its cmdId: "the server ran it, the reply was lost".
   */
  cutOn(direction: "toClient" | "toServer", match: (chunk: Buffer) => boolean): void;
  pause(): void;
  resume(): void;
  readonly paused: boolean;
  /** Connections currently open (each is a client socket plus its upstream socket). */
  readonly connections: number;
  close(): Promise<void>;
}

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
  /** Chunks held while paused, per direction, delivered in order on resume. */
  readonly held: { toUpstream: Buffer[]; toClient: Buffer[] };
}

export async function startTcpProxy(targetPort: number, targetHost = "127.0.0.1"): Promise<TcpProxy> {
  let target = targetPort;
  let paused = false;
  const pairs = new Set<Pair>();
  let trap: { direction: "toClient" | "toServer"; match: (chunk: Buffer) => boolean } | undefined;
  /** Whether the chunk sprang the trap (then everything is cut and the chunk dropped). */
  const trapped = (direction: "toClient" | "toServer", chunk: Buffer): boolean => {
    if (!trap || trap.direction !== direction || !trap.match(chunk)) return false;
    trap = undefined;
    destroyAll();
    return true;
  };

  const server: Server = createServer((client) => {
    const upstream = connect(target, targetHost);
    const pair: Pair = { client, upstream, held: { toUpstream: [], toClient: [] } };
    pairs.add(pair);
    client.on("data", (chunk: Buffer) => {
      if (paused) pair.held.toUpstream.push(chunk);
      else if (!trapped("toServer", chunk)) upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      if (paused) pair.held.toClient.push(chunk);
      else if (!trapped("toClient", chunk)) client.write(chunk);
    });
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    // A FIN or an error on either side ends both (unless paused: a dead link tells nobody).
    for (const socket of [client, upstream]) {
      socket.on("error", end);
      socket.on("close", () => (paused ? undefined : end()));
      socket.on("end", () => (paused ? undefined : end()));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (typeof address !== "object" || !address) throw new Error("proxy: no port");
  const port = address.port;

  const destroyAll = () => {
    for (const pair of pairs) {
      // resetAndDestroy sends an RST, like a cable pulled out mid-stream.
      pair.client.resetAndDestroy();
      pair.upstream.resetAndDestroy();
    }
    pairs.clear();
  };

  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    retarget(next) {
      target = next;
    },
    cut: destroyAll,
    cutOn(direction, match) {
      trap = { direction, match };
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      for (const pair of [...pairs]) {
        if (pair.client.destroyed || pair.upstream.destroyed) {
          pairs.delete(pair);
          pair.client.destroy();
          pair.upstream.destroy();
          continue;
        }
        for (const chunk of pair.held.toUpstream.splice(0)) pair.upstream.write(chunk);
        for (const chunk of pair.held.toClient.splice(0)) pair.client.write(chunk);
      }
    },
    get paused() {
      return paused;
    },
    get connections() {
      return pairs.size;
    },
    async close() {
      paused = false;
      destroyAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
