package org.cardrenew.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.cardrenew.server.config.CardRenewProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class BrowserPoliciesTest {

    private static final BrowserPolicies POLICIES = forUrl("https://renew.example.gov.tw/");

    private static BrowserPolicies forUrl(String url) {
        return new BrowserPolicies(new CardRenewProperties(Path.of("./data"), URI.create(url)));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        "https://renew.example.gov.tw/, https://renew.example.gov.tw",
        "https://Renew.Example.gov.tw:443/renew/, https://renew.example.gov.tw",
        "https://renew.example.gov.tw:8443, https://renew.example.gov.tw:8443",
        "http://localhost:8080, http://localhost:8080"
    })
    void thePatternIsThePublicUrlsOriginWithoutPathOrDefaultPort(String publicUrl, String origin) {
        assertThat(forUrl(publicUrl).origin()).isEqualTo(origin);
    }

    @Test
    void anHttpSiteIsFlaggedBecauseBrowsersNeverGrantItLocalNetworkAccess() {
        assertThat(forUrl("http://renew.example.gov.tw").secure()).isFalse();
        assertThat(POLICIES.secure()).isTrue();
    }

    @Test
    void theLinuxFileSetsBothPolicyNamesToTheOrigin() {
        JsonNode json = JsonMapper.builder().build().readTree(POLICIES.linuxJson());
        assertThat(names(json))
                .containsExactlyInAnyOrder("LocalNetworkAccessAllowedForUrls", "LoopbackNetworkAllowedForUrls");
        for (String policy : BrowserPolicies.POLICIES) {
            assertThat(json.get(policy).isArray()).isTrue();
            assertThat(json.get(policy).get(0).asString()).isEqualTo("https://renew.example.gov.tw");
            assertThat(json.get(policy).size()).isEqualTo(1);
        }
    }

    @Test
    void theRegistryFileIsUtf16WithABomAndNumbersEachListEntryForChromeAndEdge() {
        byte[] reg = POLICIES.windowsReg();
        assertThat(Arrays.copyOf(reg, 2)).containsExactly((byte) 0xFF, (byte) 0xFE);
        String text = new String(reg, 2, reg.length - 2, StandardCharsets.UTF_16LE);
        assertThat(text).startsWith("Windows Registry Editor Version 5.00\r\n").doesNotContainPattern("[^\r]\n");
        for (String vendor : List.of("Google\\Chrome", "Microsoft\\Edge")) {
            for (String policy : BrowserPolicies.POLICIES) {
                assertThat(text)
                        .contains("[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\" + vendor + "\\" + policy + "]\r\n"
                                + "\"1\"=\"https://renew.example.gov.tw\"\r\n");
            }
        }
    }

    @Test
    void theMacosProfileIsAPlistWithOnePayloadForChromeAndOneForEdge() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document plist = factory.newDocumentBuilder()
                .parse(new ByteArrayInputStream(POLICIES.macosProfile().getBytes(StandardCharsets.UTF_8)));
        NodeList dicts = plist.getElementsByTagName("dict");
        assertThat(dicts.getLength()).isEqualTo(3);
        List<String> types = new ArrayList<>();
        for (int i = 1; i < dicts.getLength(); i++) {
            Element payload = (Element) dicts.item(i);
            String text = payload.getTextContent();
            types.add(value(payload, "PayloadType"));
            for (String policy : BrowserPolicies.POLICIES) {
                assertThat(text).contains(policy + "https://renew.example.gov.tw");
            }
        }
        assertThat(types).containsExactly("com.google.Chrome", "com.microsoft.Edge");
        assertThat(value((Element) dicts.item(0), "PayloadType")).isEqualTo("Configuration");
        // installed again, the same profile replaces itself: stable identifiers per site
        assertThat(forUrl("https://renew.example.gov.tw").macosProfile()).isEqualTo(POLICIES.macosProfile());
        assertThat(forUrl("https://other.example.gov.tw").macosProfile())
                .doesNotContain(value((Element) dicts.item(0), "PayloadUUID"));
    }

    /** The string after {@code <key>name</key>} among the element's own children. */
    private static String value(Element dict, String key) {
        NodeList children = dict.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i).getNodeName().equals("key")
                    && children.item(i).getTextContent().equals(key)) {
                org.w3c.dom.Node next = children.item(i).getNextSibling();
                while (next.getNodeType() != org.w3c.dom.Node.ELEMENT_NODE) {
                    next = next.getNextSibling();
                }
                return next.getTextContent();
            }
        }
        throw new AssertionError("no " + key);
    }

    private static List<String> names(JsonNode json) {
        List<String> names = new ArrayList<>();
        json.propertyNames().forEach(names::add);
        return names;
    }
}
