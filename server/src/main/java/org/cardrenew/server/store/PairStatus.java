package org.cardrenew.server.store;

/** Lifecycle of a card pair. */
public enum PairStatus {
    ACTIVE,
    SUPERSEDED,
    REVOKED
}
