package org.cardrenew.agent.card;

/** A signature made on the card, in JCA encoding (PKCS#1 v1.5 for RSA, DER SEQUENCE{r,s} for ECDSA). */
public record CardSignature(String algorithm, byte[] value) {}
