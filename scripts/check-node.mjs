// Runs before `npm ci` / `npm install` and `npm test`, on whatever Node the user has, so it must
// stay plain JavaScript that old versions parse. The project's tools (Astro, Vitest) need Node ≥ 22.12;
// on anything older they fail late with errors like "Map.groupBy is not a function".
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    [
      `small-llm-index: this project needs Node 22.12 or newer (Node 24 LTS recommended); this is Node ${process.versions.node}.`,
      "  Get Node 24 from https://nodejs.org, or with a version manager (`nvm install 24`, `fnm use 24`),",
      "  or without one: `npm install --prefix ~/.node24 node@24 && export PATH=~/.node24/node_modules/.bin:$PATH`.",
      "  `bash .ci/run` does that by itself and then runs the tests.",
    ].join("\n"),
  );
  process.exit(1);
}
