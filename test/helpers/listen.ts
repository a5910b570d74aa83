/**
 * Start an HTTP server on a free 127.0.0.1 port (or the one given, for stand-ins that must listen
 * where OLLAMA_HOST says); `close` also drops kept-alive connections.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

export async function listenLocal(server: Server, port = 0): Promise<{ port: number; close(): Promise<void> }> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
