// Create or update the ONE plan-review comment of a pull request (used by plan-review.yml
// through actions/github-script). The comment is found again by a hidden marker in its body and
// must have been written by a bot, so a person quoting the marker never has their comment
// overwritten. Kept in a file of its own so tests can run it against a fake GitHub client.
"use strict";

module.exports = async function upsertReviewComment({ github, context, core, body, marker }) {
  if (!body.includes(marker)) {
    body = `${marker}\n${body}`;
  }
  const { owner, repo } = context.repo;
  const issue_number = context.issue.number;
  const comments = await github.paginate(github.rest.issues.listComments, {
    owner,
    repo,
    issue_number,
    per_page: 100,
  });
  const previous = comments.find(
    (comment) => comment.user && comment.user.type === "Bot" && (comment.body || "").includes(marker),
  );
  if (previous) {
    await github.rest.issues.updateComment({ owner, repo, comment_id: previous.id, body });
    core.info(`updated plan-review comment ${previous.id}`);
    return previous.id;
  }
  const created = await github.rest.issues.createComment({ owner, repo, issue_number, body });
  core.info(`created plan-review comment ${created.data.id}`);
  return created.data.id;
};
