/** The package's version, as package.json states it (bundled in at build time). */
import pkg from "../package.json" with { type: "json" };

export const VERSION: string = pkg.version;
