package org.cardrenew.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cardrenew.testkit.Ports;
import org.cardrenew.testkit.SoftHsm;
import org.cardrenew.testkit.Token;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent package as a holder gets it (agent-package's tarball: jlink'd runtime, jpackage launcher,
 * install.sh): unpacked and installed by an unprivileged user with no root, started as that user by the command
 * its autostart entry names, and a SoftHSM2 card renewed through the installed agent's bridge against the real
 * server. Needs root only to make that user and switch to it (runuser); skipped otherwise.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstalledAgentPackageTest {

    private static final String HOLDER = "cardrenew-holder";
    private static final String PIN = "123456";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static Path home;
    private static Path unpacked;
    private static Token card;
    private static ServerUnderTest server;
    private static int bridgePort;
    private static Process agent;
    private static Path agentLog;

    @BeforeAll
    static void installAsTheHolder() throws Exception {
        Assumptions.assumeTrue(
                "root".equals(System.getProperty("user.name")),
                "installing per user is tested as an unprivileged user, which only root can create and switch to (runuser)");
        Path tarball = tarball();
        SoftHsm hsm = SoftHsm.forThisJvm();
        Token enrolled = hsm.createToken("PKG-RENEW", PIN);
        server = ServerUnderTest.start(ServerUnderTest.Database.H2);
        Instant now = Instant.now();
        Cli.Run run = new Cli(server.url(), enrolled)
                .enroll("F123456789", "周怡君", "p256", now.minus(Duration.ofDays(710)), now.plus(Duration.ofDays(20)));
        assertThat(run.exitCode()).as(run.toString()).isZero();

        ensureHolder();
        // The holder's own home (a fresh one per run, so parallel runs never share it) with the card's token files.
        home = Files.createTempDirectory("cardrenew-holder-");
        copyTree(enrolled.conf().getParent().resolve("tokens"), home.resolve("tokens"));
        Path conf = Files.writeString(
                home.resolve("softhsm2.conf"),
                "directories.tokendir = " + home.resolve("tokens")
                        + "\nobjectstore.backend = file\nlog.level = ERROR\n");
        card = new Token(enrolled.label(), PIN, enrolled.library(), conf);
        Files.copy(tarball, home.resolve(tarball.getFileName()));
        root("chown", "-R", HOLDER + ":", home.toString());
        root("chmod", "755", home.toString());

        asHolder(
                Map.of(),
                "tar",
                "-C",
                home.toString(),
                "-xzf",
                home.resolve(tarball.getFileName()).toString());
        String top = tarball.getFileName().toString().replace(".tar.gz", "");
        unpacked = home.resolve(top);
        bridgePort = Ports.forLaterBind();
        String out = asHolder(
                Map.of(),
                "bash",
                unpacked.resolve("install.sh").toString(),
                "--user",
                "--allow-origin",
                server.url(),
                "--module",
                card.library(),
                "--port",
                String.valueOf(bridgePort),
                "--autostart",
                "xdg",
                "--no-start");
        assertThat(out).contains("installed for " + HOLDER);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        stopAgent();
        Opened.closeAll(server);
        if (home != null) {
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void theInstallWritesOnlyIntoTheHoldersHomeWithTheDesktopTeamsSettings() throws Exception {
        Path properties = home.resolve(".config/cardrenew/agent.properties");
        assertThat(Files.readString(properties))
                .contains("module=" + card.library(), "allow-origin=" + server.url(), "port=" + bridgePort)
                .doesNotContain("ca-file=");
        assertThat(home.resolve(".local/share/cardrenew/bin/cardrenew")).isExecutable();
        assertThat(home.resolve(".local/share/cardrenew/lib/runtime/lib/modules"))
                .isRegularFile();
        assertThat(home.resolve(".config/autostart/cardrenew-agent.desktop")).isRegularFile();
        try (Stream<Path> files = Files.walk(home)) {
            assertThat(files.filter(p -> !owner(p).equals(HOLDER)).toList())
                    .as("files not owned by the holder")
                    .isEmpty();
        }
    }

    @Test
    @Order(2)
    void theInstalledAgentStartedAsTheHolderReportsItsBuildVersion() throws Exception {
        startAgentFromItsAutostartEntry();
        JsonNode hello = await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .ignoreException(java.net.ConnectException.class)
                .until(
                        () -> {
                            assertThat(agent.isAlive())
                                    .as("the agent exited: " + Files.readString(agentLog))
                                    .isTrue();
                            return get("/v1/bridge");
                        },
                        h -> h.has("product"));
        assertThat(hello.get("product").asString()).isEqualTo("cardrenew-agent");
        assertThat(hello.get("version").asString()).isEqualTo(System.getProperty("cardrenew.expected-version"));
        // The bridge runs as the holder, from the installed runtime (not the build's JDK).
        List<ProcessHandle> javas = agent.descendants()
                .filter(p -> p.info().command().orElse("").contains("cardrenew"))
                .toList();
        assertThat(javas)
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p.info().user()).hasValue(HOLDER));
    }

    @Test
    @Order(3)
    void aCardIsRenewedThroughTheInstalledAgent() throws Exception {
        CardObjects before = CardObjects.of(card);
        JsonNode session =
                post("/v1/sessions", "{\"token\":\"" + card.label() + "\",\"pin\":\"" + PIN + "\",\"lang\":\"en\"}");
        String id = session.get("id").asString();
        session = awaitState(id, "DECIDE");
        assertThat(session.get("status").get("status").asString()).isEqualTo("RENEWABLE");
        post("/v1/sessions/" + id + "/renew", "{}");
        awaitState(id, "CONFIRM_PIN");
        post("/v1/sessions/" + id + "/pin", "{\"pin\":\"" + PIN + "\"}");
        session = awaitState(id, "RENEWED");
        assertThat(Instant.parse(
                        session.get("result").get("renewed").get("notAfter").asString()))
                .isAfter(Instant.parse(
                        session.get("result").get("previous").get("notAfter").asString()));
        // OpenSC's pkcs11-tool sees the two new certificates on the holder's card.
        assertThat(CardObjects.of(card).certificateIds())
                .filteredOn(c -> !before.certificateIds().contains(c))
                .hasSize(2);
    }

    @Test
    @Order(4)
    void reinstallingWithSystemdAndACaFileThenUninstallingLeavesOnlyTheSettings() throws Exception {
        stopAgent();
        Path ca = Files.writeString(home.resolve("agency-root.pem"), "-----BEGIN CERTIFICATE-----\n");
        root("chown", HOLDER + ":", ca.toString());
        asHolder(
                Map.of(),
                "bash",
                unpacked.resolve("install.sh").toString(),
                "--user",
                "--allow-origin",
                server.url(),
                "--module",
                card.library(),
                "--ca-file",
                ca.toString(),
                "--autostart",
                "systemd",
                "--no-start");
        Path config = home.resolve(".config");
        assertThat(Files.readString(config.resolve("cardrenew/agent.properties")))
                .contains("ca-file=" + config.resolve("cardrenew/ca.pem"))
                .doesNotContain("port=");
        assertThat(config.resolve("cardrenew/ca.pem")).hasSameTextualContentAs(ca);
        String unit = Files.readString(config.resolve("systemd/user/cardrenew-agent.service"));
        assertThat(unit)
                .contains(
                        "ExecStart=\"" + home.resolve(".local/share/cardrenew/bin/cardrenew") + "\" agent --config \""
                                + config.resolve("cardrenew/agent.properties") + "\"",
                        "WantedBy=default.target");
        assertThat(config.resolve("systemd/user/default.target.wants/cardrenew-agent.service"))
                .exists();
        assertThat(config.resolve("autostart/cardrenew-agent.desktop"))
                .as("one autostart, not two")
                .doesNotExist();

        asHolder(Map.of(), "bash", unpacked.resolve("install.sh").toString(), "--uninstall");
        assertThat(home.resolve(".local/share/cardrenew")).doesNotExist();
        assertThat(config.resolve("systemd/user/cardrenew-agent.service")).doesNotExist();
        assertThat(config.resolve("cardrenew/agent.properties")).exists();
    }

    /** Runs exactly what the XDG autostart entry names, as the holder, in the holder's environment. */
    private static void startAgentFromItsAutostartEntry() throws IOException {
        String desktop = Files.readString(home.resolve(".config/autostart/cardrenew-agent.desktop"));
        Matcher exec = Pattern.compile("(?m)^Exec=\"([^\"]+)\" (.+)$").matcher(desktop);
        assertThat(exec.find()).as(desktop).isTrue();
        List<String> command = new ArrayList<>(
                holderCommand(Map.of("SOFTHSM2_CONF", card.conf().toString())));
        command.add(exec.group(1));
        // agent --config "FILE": the arguments, unquoted (no spaces in the test's paths).
        command.addAll(List.of(exec.group(2).replace("\"", "").split(" ")));
        agentLog = Files.createTempFile("cardrenew-installed-agent-", ".log");
        agent = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(agentLog.toFile())
                .start();
    }

    private static void stopAgent() throws Exception {
        if (agent != null) {
            agent.descendants().forEach(ProcessHandle::destroy);
            agent.destroy();
            if (!agent.waitFor(20, TimeUnit.SECONDS)) {
                agent.descendants().forEach(ProcessHandle::destroyForcibly);
                agent.destroyForcibly();
            }
            agent = null;
            Files.deleteIfExists(agentLog);
        }
    }

    private static JsonNode awaitState(String id, String state) throws IOException {
        try {
            return await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> get("/v1/sessions/" + id), s -> {
                        assertThat(s.get("state").asString())
                                .as(s.toString())
                                .isNotIn("FAILED", "CANCELLED", "NOT_RENEWABLE");
                        return state.equals(s.get("state").asString());
                    });
        } catch (org.awaitility.core.ConditionTimeoutException | AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nthe installed agent's log:\n" + Files.readString(agentLog), e);
        }
    }

    private static JsonNode get(String path) throws Exception {
        return send(HttpRequest.newBuilder(bridge(path))
                .header("Origin", server.url())
                .GET()
                .build());
    }

    private static JsonNode post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(bridge(path))
                .header("Origin", server.url())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private static JsonNode send(HttpRequest request) throws Exception {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(response.statusCode())
                .as(request.uri() + " " + response.body())
                .isBetween(200, 201);
        return JSON.readTree(response.body());
    }

    private static URI bridge(String path) {
        return URI.create("http://127.0.0.1:" + bridgePort + path);
    }

    /** The tarball agent-package built; under CI its absence is a failure, elsewhere a skip that says why. */
    private static Path tarball() throws IOException {
        Path dir = Path.of(System.getProperty("cardrenew.agent-package.dir", "../agent-package/target"));
        List<Path> found = List.of();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                found = files.filter(p -> p.getFileName().toString().matches("cardrenew-agent-.*\\.tar\\.gz"))
                        .toList();
            }
        }
        if (found.isEmpty() && !"true".equals(System.getenv("CI"))) {
            Assumptions.abort("no agent package in " + dir.toAbsolutePath()
                    + " (built without the JDK's jmods, or with -Dagent.package.skip=true)");
        }
        assertThat(found).as("the agent package in " + dir.toAbsolutePath()).hasSize(1);
        return found.get(0);
    }

    /** The unprivileged holder: made once, reused by later runs (and by parallel ones, each in its own home). */
    private static void ensureHolder() throws Exception {
        if (!userExists()) {
            try {
                root("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", HOLDER);
            } catch (AssertionError e) {
                // A parallel run may have made it meanwhile.
                assertThat(userExists()).as(e.getMessage()).isTrue();
            }
        }
    }

    private static boolean userExists() {
        try {
            return new ProcessBuilder("id", "-u", HOLDER).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** runuser as the holder with a clean environment: HOME is the test's home, nothing of root's leaks in. */
    private static List<String> holderCommand(Map<String, String> env) {
        List<String> command = new ArrayList<>(List.of(
                "runuser",
                "-u",
                HOLDER,
                "--",
                "env",
                "-i",
                "HOME=" + home,
                "PATH=/usr/local/bin:/usr/bin:/bin",
                "LANG=C.UTF-8"));
        env.forEach((k, v) -> command.add(k + "=" + v));
        return command;
    }

    private static String asHolder(Map<String, String> env, String... command) throws Exception {
        List<String> all = new ArrayList<>(holderCommand(env));
        all.addAll(List.of(command));
        return run(all);
    }

    private static void root(String... command) throws Exception {
        run(List.of(command));
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }

    private static String owner(Path p) {
        try {
            return Files.getOwner(p, java.nio.file.LinkOption.NOFOLLOW_LINKS).getName();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }
}
