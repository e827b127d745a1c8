package org.cardrenew.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuProfileTest {

    private static final String WORKER =
            "java/lang/Thread.run;org/apache/tomcat/util/threads/ThreadPoolExecutor.runWorker;";

    @TempDir
    Path dir;

    @Test
    void nativeAndKernelFramesCountUnderTheJavaFramesThatCalledThem() throws IOException {
        Path collapsed = dir.resolve("run.collapsed");
        Files.write(
                collapsed,
                List.of(
                        // ACCP's native verification: JFR never sees these samples
                        "[http-nio-8080-exec-1 tid=101];" + WORKER
                                + "org/cardrenew/server/ra/CardSignature.verify;"
                                + "com/amazon/corretto/crypto/provider/EvpSignature.engineVerify;"
                                + "EVP_DigestVerify;ecdsa_do_verify 30",
                        // a write to PostgreSQL's socket, in the kernel
                        "[http-nio-8080-exec-2 tid=102];" + WORKER
                                + "org/postgresql/core/v3/QueryExecutorImpl.execute;"
                                + "org/newsclub/net/unix/NativeUnixSocket.write;"
                                + "__x64_sys_sendto_[k];unix_stream_sendmsg_[k] 20",
                        "[http-nio-8080-exec-1 tid=101];" + WORKER
                                + "tools/jackson/databind/ObjectMapper.writeValue 50",
                        "[C2 CompilerThread0 tid=12];Compile::Compile 40",
                        "[GC Thread#0 tid=13];G1ParTask::do_it 10",
                        "a line without a count",
                        ""),
                StandardCharsets.UTF_8);

        CpuProfile.Profile profile = CpuProfile.read(collapsed);

        assertThat(profile.requests().total()).isEqualTo(100);
        assertThat(profile.requests().samples())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        JfrBreakdown.Work.CRYPTO, 30,
                        JfrBreakdown.Work.SQL, 20,
                        JfrBreakdown.Work.HTTP_JSON, 50));
        assertThat(profile.requestsInKernel()).isEqualTo(20);
        assertThat(profile.kernelShare()).isEqualTo(0.2);
        assertThat(profile.threadGroups())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("request threads", 100, "JIT compiler", 40, "GC and VM", 10));
        // the request threads' CPU per renewal shared out by the samples
        assertThat(profile.requests().lines(2.0))
                .anySatisfy(l -> assertThat(l).contains("0.60 ms").contains("crypto"))
                .anySatisfy(l -> assertThat(l).contains("0.40 ms").contains("SQL"))
                .anySatisfy(l -> assertThat(l).contains("1.00 ms").contains("HTTP/JSON"));
    }

    @Test
    void theThreadIsNamedByTheRootFrame() {
        assertThat(CpuProfile.threadName("[http-nio-34059-exec-3 tid=4711]")).isEqualTo("http-nio-34059-exec-3");
        assertThat(CpuProfile.threadName("[VM Thread tid=9]")).isEqualTo("VM Thread");
        assertThat(CpuProfile.threadName("java/lang/Thread.run")).isEmpty();
    }

    @Test
    void theLibraryIsChosenByOperatingSystemAndProcessor() {
        assertThat(CpuProfile.platform("Linux", "amd64")).isEqualTo("linux-x64");
        assertThat(CpuProfile.platform("Linux", "aarch64")).isEqualTo("linux-arm64");
        assertThat(CpuProfile.platform("Mac OS X", "aarch64")).isNull();
        assertThat(CpuProfile.platform("Linux", "s390x")).isNull();
    }

    @Test
    void theStopOptionNamesTheFileAndRefusesAPathTheOptionListCannotCarry() {
        assertThat(CpuProfile.stop(Path.of("/tmp/run.collapsed"))).isEqualTo("stop,file=/tmp/run.collapsed,collapsed");
        assertThatThrownBy(() -> CpuProfile.stop(Path.of("/tmp/a,b.collapsed")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CpuProfile.stop(Path.of("/tmp/a b.collapsed")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
