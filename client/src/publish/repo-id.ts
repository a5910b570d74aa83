/** Hub repo ids as the Hub accepts them (huggingface_hub validate_repo_id), checked before any request. */
import { HUB_REPO_ID } from "../../../schema/patterns.ts";
import { InvalidRepoIdError } from "../errors/index.ts";

export function checkRepoId(repo: string): { owner: string; name: string } {
  const problem = !repo.includes("/")
    ? "it needs an owner: owner/name (your user name or an organisation)"
    : repo.split("/").length > 2
      ? "it has more than one `/`"
      : /\.git$/i.test(repo)
        ? "it may not end in .git"
        : /--|\.\./.test(repo)
          ? "it may not contain `--` or `..`"
          : !HUB_REPO_ID.test(repo)
            ? "each part is 1–96 letters, digits, `-`, `_` or `.`, starting and ending with a letter or digit"
            : undefined;
  if (problem) throw new InvalidRepoIdError(`"${repo}" is not a valid Hub repo id: ${problem}.`);
  const [owner, name] = repo.split("/") as [string, string];
  return { owner, name };
}
