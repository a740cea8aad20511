const { renderDigest } = require("../mail/templates");

/**
 * @param {{ userIds: string[] }} job
 * @param {{ users: { findById(id: string): Promise<object | null> }, activity: object, mailer: object, log: object }} deps
 */
async function runWeeklyDigest(job, { users, activity, mailer, log }) {
  let sent = 0;
  for (const userId of job.userIds) {
    const user = await users.findById(userId);
    const prefs = user.preferences;
    if (!prefs.weeklyDigest) continue;

    const events = await activity.since(userId, daysAgo(7));
    if (events.length === 0) continue;

    await mailer.send({
      to: user.email,
      subject: "Your week on Longboard",
      html: renderDigest({ name: user.displayName, events }),
    });
    sent++;
  }
  log.info({ batch: job.userIds.length, sent }, "weekly digest batch done");
  return { sent };
}

function daysAgo(days) {
  return new Date(Date.now() - days * 24 * 60 * 60 * 1000);
}

module.exports = { runWeeklyDigest };
