package org.cardrenew.server.console;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.cardrenew.server.config.CardRenewProperties;
import org.springframework.stereotype.Component;

/**
 * Enterprise policy files that let Chrome and Edge reach the holder's card bridge from the renewal site
 * ({@code cardrenew.public-url}) without asking the holder: Local Network Access (Chrome 142+, Edge 143+) is then
 * granted by policy. Both policy names are set: {@code LocalNetworkAccessAllowedForUrls} (Chrome 139+, Edge 140+;
 * still honoured for loopback by Chromium 156, tested) and {@code LoopbackNetworkAllowedForUrls} (Chrome and Edge
 * 146+, after the permission was split into local-network and loopback-network; it takes precedence over the
 * older one). A browser ignores a name it does not know. docs/AGENT.md tells the desktop team where each file goes.
 */
@Component
public class BrowserPolicies {

    /** The policy names, each a list of URL patterns. */
    static final List<String> POLICIES = List.of("LocalNetworkAccessAllowedForUrls", "LoopbackNetworkAllowedForUrls");

    /** A downloadable file: name, media type and bytes. */
    public record PolicyFile(String fileName, String mediaType, byte[] content) {}

    /** What the console offers, by the name in the download path. */
    public enum Kind {
        LINUX_JSON,
        WINDOWS_REG,
        MACOS_MOBILECONFIG
    }

    private final String origin;

    public BrowserPolicies(CardRenewProperties server) {
        this.origin = origin(server.publicUrl());
    }

    /** The renewal site's origin (scheme, host and a non-default port), as the policies' URL patterns want it. */
    public String origin() {
        return origin;
    }

    /** False for an http site: browsers grant Local Network Access to secure pages only, policy or not. */
    public boolean secure() {
        return origin.startsWith("https://");
    }

    public PolicyFile file(Kind kind) {
        return switch (kind) {
            case LINUX_JSON ->
                new PolicyFile(
                        "cardrenew-local-network.json",
                        "application/json",
                        linuxJson().getBytes(StandardCharsets.UTF_8));
            case WINDOWS_REG ->
                new PolicyFile("cardrenew-local-network.reg", "text/plain; charset=UTF-16LE", windowsReg());
            case MACOS_MOBILECONFIG ->
                new PolicyFile(
                        "cardrenew-local-network.mobileconfig",
                        "application/x-apple-aspen-config",
                        macosProfile().getBytes(StandardCharsets.UTF_8));
        };
    }

    /**
     * One file for /etc/chromium/policies/managed, /etc/opt/chrome/policies/managed and
     * /etc/opt/edge/policies/managed (same names and format in all three).
     */
    public String linuxJson() {
        StringBuilder json = new StringBuilder("{\n");
        for (int i = 0; i < POLICIES.size(); i++) {
            json.append("  \"")
                    .append(POLICIES.get(i))
                    .append("\": [\"")
                    .append(origin)
                    .append("\"]")
                    .append(i + 1 < POLICIES.size() ? ",\n" : "\n");
        }
        return json.append("}\n").toString();
    }

    /**
     * A registry file for Chrome and Edge (HKLM, machine-wide): list policies are keys whose values are numbered
     * from 1. UTF-16LE with a byte-order mark and CRLF, as regedit writes them. Value 1 replaces an existing
     * entry 1 of the same list: merge by hand where the agency already sets these lists.
     */
    public byte[] windowsReg() {
        StringBuilder reg = new StringBuilder("Windows Registry Editor Version 5.00\r\n");
        for (String vendor : List.of("Google\\Chrome", "Microsoft\\Edge")) {
            for (String policy : POLICIES) {
                reg.append("\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\")
                        .append(vendor)
                        .append('\\')
                        .append(policy)
                        .append("]\r\n\"1\"=\"")
                        .append(origin)
                        .append("\"\r\n");
            }
        }
        byte[] text = reg.toString().getBytes(StandardCharsets.UTF_16LE);
        byte[] withBom = new byte[text.length + 2];
        withBom[0] = (byte) 0xFF;
        withBom[1] = (byte) 0xFE;
        System.arraycopy(text, 0, withBom, 2, text.length);
        return withBom;
    }

    /** A configuration profile with one payload each for Chrome (com.google.Chrome) and Edge (com.microsoft.Edge). */
    public String macosProfile() {
        StringBuilder payloads = new StringBuilder();
        for (String domain : List.of("com.google.Chrome", "com.microsoft.Edge")) {
            payloads.append("    <dict>\n")
                    .append("      <key>PayloadType</key><string>")
                    .append(domain)
                    .append("</string>\n")
                    .append("      <key>PayloadIdentifier</key><string>tw.gov.cardrenew.local-network.")
                    .append(domain)
                    .append("</string>\n")
                    .append("      <key>PayloadUUID</key><string>")
                    .append(uuid(domain))
                    .append("</string>\n")
                    .append("      <key>PayloadVersion</key><integer>1</integer>\n")
                    .append("      <key>PayloadDisplayName</key><string>CardRenew: ")
                    .append(domain)
                    .append("</string>\n");
            for (String policy : POLICIES) {
                payloads.append("      <key>")
                        .append(policy)
                        .append("</key><array><string>")
                        .append(xml(origin))
                        .append("</string></array>\n");
            }
            payloads.append("    </dict>\n");
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                + "<plist version=\"1.0\">\n<dict>\n"
                + "  <key>PayloadType</key><string>Configuration</string>\n"
                + "  <key>PayloadIdentifier</key><string>tw.gov.cardrenew.local-network</string>\n"
                + "  <key>PayloadUUID</key><string>" + uuid("profile") + "</string>\n"
                + "  <key>PayloadVersion</key><integer>1</integer>\n"
                + "  <key>PayloadScope</key><string>System</string>\n"
                + "  <key>PayloadDisplayName</key><string>CardRenew card component access</string>\n"
                + "  <key>PayloadDescription</key><string>Lets Chrome and Edge reach the CardRenew card component on "
                + "this computer from " + xml(origin) + " without asking.</string>\n"
                + "  <key>PayloadContent</key>\n  <array>\n" + payloads + "  </array>\n</dict>\n</plist>\n";
    }

    /** Stable per site and payload, so that installing the profile again replaces it instead of adding a copy. */
    private String uuid(String part) {
        return UUID.nameUUIDFromBytes((origin + " " + part).getBytes(StandardCharsets.UTF_8))
                .toString()
                .toUpperCase(Locale.ROOT);
    }

    static String origin(URI url) {
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        int port = url.getPort();
        boolean defaultPort =
                port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
        return scheme + "://" + url.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
