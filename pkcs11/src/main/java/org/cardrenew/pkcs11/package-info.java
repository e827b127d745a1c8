/**
 * The one way into PKCS#11 tokens for the CA (its HSM) and the agent (the holder's card). Only this package
 * links against the JDK-internal wrapper {@code sun.security.pkcs11.wrapper}: SunPKCS11 configures by slot and
 * hides objects a renewal must see (a private key without its certificate), while the wrapper offers the slot
 * list, token flags (PIN counters) and exact templates. The JVM that runs it needs
 * {@code --add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED} ({@link Pkcs11Library#JVM_OPTION}).
 */
package org.cardrenew.pkcs11;
