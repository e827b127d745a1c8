package org.cardrenew.server.notify;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;

/** A GreenMail SMTP server on a port of its own that can be stopped and started again on the same port. */
final class SmtpServer implements AutoCloseable {

    final int port;
    private GreenMail greenMail;

    SmtpServer() {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
    }

    void start() {
        greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
    }

    /** The mail server goes away: connections are refused until {@link #start}. Received mail is kept. */
    void stop() {
        received.addAll(List.of(greenMail.getReceivedMessages()));
        greenMail.stop();
        greenMail = null;
    }

    private final java.util.List<MimeMessage> received = new java.util.ArrayList<>();

    List<MimeMessage> received() {
        List<MimeMessage> all = new java.util.ArrayList<>(received);
        if (greenMail != null) {
            all.addAll(List.of(greenMail.getReceivedMessages()));
        }
        return all;
    }

    void clear() {
        received.clear();
        if (greenMail != null) {
            try {
                greenMail.purgeEmailFromAllMailboxes();
            } catch (com.icegreen.greenmail.store.FolderException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        if (greenMail != null) {
            greenMail.stop();
        }
    }
}
