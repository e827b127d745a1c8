package org.cardrenew.server.store;

/** A card holder as enrolled by an administrator. */
public record Holder(HolderId id, String name, String organization, String email, String language) {}
