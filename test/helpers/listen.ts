/** Start an HTTP server on 127.0.0.1 (a free port unless one is asked for); `close` also drops kept-alive connections. */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

export async function listenLocal(server: Server, port = 0): Promise<{ port: number; close(): Promise<void> }> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
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
