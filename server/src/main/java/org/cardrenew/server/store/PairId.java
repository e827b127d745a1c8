package org.cardrenew.server.store;

/** Database identity of a card pair (signing + encryption certificate). */
public record PairId(long value) {}
