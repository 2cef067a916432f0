// sendAnnouncement (admin): one notification to every active account, or to premium members.
// The callable only records the announcement as a fan-out job (fanout.ts delivers it, a page
// per invocation); the same announcementId sent again answers the job under way, so a retry
// after a lost response never sends twice.
import { randomBytes } from "node:crypto";
import type { CallableRequest } from "firebase-functions/v2/https";
import {
  announcementJobId,
  sendAnnouncementInput,
  type SendAnnouncementOutput,
} from "../contract/notifications";
import { recordAudit } from "../shared/audit";
import { fail, parseInput, requireAdmin } from "../shared/callable";
import { db } from "../shared/firebase";
import { newFanoutJob, parseFanoutJob, type Audience } from "./fanout";
import { announcementNotification } from "./model";
import { fanoutJobRef } from "./store";

export async function sendAnnouncement(
  request: CallableRequest<unknown>,
): Promise<SendAnnouncementOutput> {
  const admin = requireAdmin(request);
  const input = parseInput(sendAnnouncementInput, request.data);
  const announcementId = input.announcementId ?? randomBytes(12).toString("hex");
  const notification = announcementNotification({ ...input, announcementId });
  const ref = fanoutJobRef(announcementJobId(announcementId));
  return db().runTransaction(async (tx): Promise<SendAnnouncementOutput> => {
    const snapshot = await tx.get(ref);
    if (snapshot.exists) {
      const job = parseFanoutJob(snapshot.data());
      const same =
        job !== null &&
        job.notification.title === notification.title &&
        job.notification.body === notification.body &&
        job.notification.type === "announcement" &&
        job.notification.data.audience === input.audience;
      if (!job || !same) fail("announcement_exists");
      return { announcementId, created: false, status: job.status, recipients: job.recipients };
    }
    const nowMs = Date.now();
    const audience: Audience =
      input.audience === "premium" ? { type: "premium", premiumAfterMs: nowMs } : { type: "all" };
    tx.create(ref, newFanoutJob("announcement", audience, notification, { createdBy: admin.uid }));
    recordAudit(tx, {
      action: "sendAnnouncement",
      actorUid: admin.uid,
      announcementId,
      audience: input.audience,
      title: notification.title,
    });
    return { announcementId, created: true, status: "sending", recipients: 0 };
  });
}
