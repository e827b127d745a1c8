package org.cardrenew.server.notify;

import java.util.List;
import java.util.Map;

/**
 * One page of the outbox, newest first.
 *
 * @param counts every state's count in the whole outbox
 */
public record ReminderPage(List<ReminderView> items, int page, int size, Map<String, Long> counts) {}
