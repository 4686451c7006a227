package dev.berth.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class LaunchAdmissionTests {

    private final ResourceBundleMessageSource messages = new ResourceBundleMessageSource();

    LaunchAdmissionTests() {
        messages.setBasename("messages");
        messages.setDefaultEncoding("UTF-8");
    }

    private static MockHttpServletRequest launch() {
        return new MockHttpServletRequest("POST", "/lti/launch");
    }

    @Test
    void aLaunchBeyondTheLimitWaitsForTheOneBeforeItAndIsThenServed() throws Exception {
        LaunchAdmission.Filter filter = new LaunchAdmission.Filter(1, Duration.ofSeconds(10), messages);
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CompletableFuture<MockHttpServletResponse> first = CompletableFuture.supplyAsync(() -> serve(filter, () -> {
            mostAtOnce.accumulateAndGet(inside.incrementAndGet(), Math::max);
            firstInside.countDown();
            await(releaseFirst);
            inside.decrementAndGet();
        }));
        assertThat(firstInside.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<MockHttpServletResponse> second = CompletableFuture.supplyAsync(() -> serve(filter, () -> {
            mostAtOnce.accumulateAndGet(inside.incrementAndGet(), Math::max);
            inside.decrementAndGet();
        }));

        Thread.sleep(200);
        assertThat(second)
                .as("the second launch waits while the first holds the only place")
                .isNotDone();
        releaseFirst.countDown();

        assertThat(first.get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
        assertThat(second.get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
        assertThat(mostAtOnce).hasValue(1);
    }

    @Test
    void aLaunchThatWaitsLongerThanTheTimeoutGetsA503PageAskingToTryAgainAndIsNotServed() throws Exception {
        LaunchAdmission.Filter filter = new LaunchAdmission.Filter(1, Duration.ofMillis(100), messages);
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        CompletableFuture<MockHttpServletResponse> first = CompletableFuture.supplyAsync(() -> serve(filter, () -> {
            firstInside.countDown();
            await(releaseFirst);
        }));
        assertThat(firstInside.await(5, TimeUnit.SECONDS)).isTrue();
        AtomicInteger served = new AtomicInteger();

        MockHttpServletResponse refused = serve(filter, served::incrementAndGet);

        assertThat(refused.getStatus()).isEqualTo(503);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("5");
        assertThat(refused.getContentAsString())
                .contains("Berth is busy with other launches.")
                .contains("open the assignment again");
        assertThat(served).as("the refused launch never reached Berth").hasValue(0);
        releaseFirst.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
        assertThat(serve(filter, served::incrementAndGet).getStatus())
                .as("the place is free again")
                .isEqualTo(200);
    }

    private static MockHttpServletResponse serve(LaunchAdmission.Filter filter, Runnable work) {
        MockHttpServletResponse response = new MockHttpServletResponse();
        try {
            filter.doFilter(launch(), response, new MockFilterChain() {
                @Override
                public void doFilter(jakarta.servlet.ServletRequest request, jakarta.servlet.ServletResponse res) {
                    work.run();
                }
            });
            return response;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
