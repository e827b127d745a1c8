package org.cardrenew.server.web;

import org.cardrenew.server.testsupport.OnH2;

/** The renewal flow on the embedded H2 database the server uses by default. */
@OnH2
class RenewalFlowOnH2Test extends RenewalFlowContract {}
