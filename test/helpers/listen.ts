/** Start an HTTP server on a free 127.0.0.1 port; `close` also drops kept-alive connections. */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

export async function listenLocal(server: Server): Promise<{ port: number; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
