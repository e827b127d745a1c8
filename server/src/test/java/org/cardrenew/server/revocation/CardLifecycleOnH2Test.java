package org.cardrenew.server.revocation;

import org.cardrenew.server.testsupport.OnH2;

/** Card revocation and unconfirmed renewals on the embedded H2 database the server uses by default. */
@OnH2
class CardLifecycleOnH2Test extends CardLifecycleContract {}
