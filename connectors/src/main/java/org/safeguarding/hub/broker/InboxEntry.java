package org.safeguarding.hub.broker;

import java.util.List;

/** One pending package in a recipient's inbox, as listed: no content, only what the queue's properties say. */
public record InboxEntry(String packageId, String submissionId, String routedAt, List<String> categories, long size) {
}
