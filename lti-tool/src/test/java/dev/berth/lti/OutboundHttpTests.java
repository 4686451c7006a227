package dev.berth.lti;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class OutboundHttpTests {

    private final OutboundHttp strict = new OutboundHttp(
            new OutboundProperties(false, Duration.ofSeconds(1), Duration.ofSeconds(1), DataSize.ofKilobytes(1), "t"));

    @Test
    void loopbackLinkLocalAndPrivateAddressesAreNotPublic() throws Exception {
        for (String address : new String[] {
            "127.0.0.1",
            "::1",
            "169.254.169.254",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "100.64.0.1",
            "fd00::1",
            "0.0.0.0"
        }) {
            assertThat(OutboundHttp.isPublic(InetAddress.getByName(address)))
                    .as(address)
                    .isFalse();
        }
        assertThat(OutboundHttp.isPublic(InetAddress.getByName("93.184.215.14")))
                .isTrue();
    }

    @Test
    void cloudMetadataAndLoopbackUrlsAreRefusedBeforeAnyConnection() {
        assertThatThrownBy(() -> strict.checkAllowed(URI.create("http://169.254.169.254/latest/meta-data/")))
                .isInstanceOf(OutboundHttp.RefusedUrlException.class)
                .hasMessageContaining("non-public address");
        assertThatThrownBy(() -> strict.checkAllowed(URI.create("http://localhost:8080/jwks")))
                .isInstanceOf(OutboundHttp.RefusedUrlException.class);
    }

    @Test
    void onlyHttpAndHttpsAreFetched() {
        assertThatThrownBy(() -> strict.checkAllowed(URI.create("file:///etc/passwd")))
                .isInstanceOf(OutboundHttp.RefusedUrlException.class)
                .hasMessageContaining("only http and https");
    }
}
